import Foundation
import Testing

@testable import WebhookCore

/// The hand-written RFC 3339 parser reads what it takes exactly as Foundation's ISO 8601 parser
/// (the parser `Timestamp.parse` used alone before), and leaves everything else to it.
@Suite("RFC 3339 parsing")
struct RFC3339Tests {
    /// Foundation's reading, as `Timestamp.parse` did it alone.
    static func foundation(_ text: String) -> Date? {
        if let d = try? Date(text, strategy: .iso8601) { return d }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// Texts of the profile and the instant each names (seconds since 1970).
    static let profileCases: [(String, Double)] = [
        ("2026-01-26T10:00:00Z", 1_769_421_600.0),
        ("2026-01-26T10:00:00.123Z", 1_769_421_600.123),
        ("2026-01-26T10:00:00.1Z", 1_769_421_600.1),
        ("2026-01-26T10:00:00.000Z", 1_769_421_600),
        ("2026-01-26T10:00:00.123456Z", 1_769_421_600.123456),
        ("2026-01-26T10:00:00.123456789Z", 1_769_421_600.123456789),
        ("2026-01-26T10:00:00.9999Z", 1_769_421_600.9999),
        ("2026-01-26T10:00:00+01:00", 1_769_418_000),
        ("2026-01-26T10:00:00-00:00", 1_769_421_600),
        ("2026-01-26T10:00:00.5-05:30", 1_769_441_400.5),
        ("2026-01-26T10:00:00.12+14:00", 1_769_371_200.12),
        ("2024-02-29T23:59:59Z", 1_709_251_199),
        ("2000-02-29T00:00:00Z", 951_782_400),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.5Z", -0.5),
        ("1900-03-01T00:00:00Z", -2_203_891_200),
        ("9999-12-31T23:59:59Z", 253_402_300_799),
    ]

    @Test("texts of the profile: read by hand, the same instant as Foundation's", arguments: profileCases)
    func profile(text: String, seconds: Double) throws {
        let parsed = try #require(RFC3339.parse(text))
        #expect(abs(parsed.timeIntervalSince1970 - seconds) < 1e-6)
        #expect(parsed == Self.foundation(text), "bit for bit as Foundation reads it")
        #expect(Timestamp.parse(text) == parsed)
    }

    @Test(
        "texts outside the profile: not read by hand; Timestamp.parse answers as Foundation does",
        arguments: [
            // Refused by both.
            "", "2026-01-26", "2026-01-26T10:00:00", "2026-01-26t10:00:00z", "2026-01-26 10:00:00Z", "20260126T100000Z",
            "2026-01-26T10:00:00.Z", "  2026-01-26T10:00:00Z", "2026-01-26T10:00Z", "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-26T10:00:00.1234567890123Z", "2026-01-26T10:00:00,5Z",
            "2026-01-26T10:00:00+25:00", "２026-01-26T10:00:00Z", "not a time", "2026-01-26T10:00:00ZZ",
            // Read by Foundation alone (leniently), as before.
            "2026-02-30T10:00:00Z", "2026-01-26T24:00:00Z", "2026-01-26T10:00:60Z", "2026-01-26T10:60:00Z",
            "2026-01-26T10:00:00+0100", "2026-01-26T10:00:00+01", "2026-01-26T10:00:00Z ", "2026-1-26T10:00:00Z",
            "2026-01-26T10:00:00+14:30", "2026-01-26T10:00:00.1234567890Z", "1582-10-15T00:00:00Z", "0001-01-01T00:00:00Z",
            "12026-01-26T10:00:00Z",
        ])
    func outside(text: String) {
        #expect(RFC3339.parse(text) == nil)
        #expect(Timestamp.parse(text) == Self.foundation(text))
    }

    @Test func randomInstantsFractionsAndOffsetsAgreeWithFoundation() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let seconds = Int64.random(in: -2_208_988_800..<253_402_200_000, using: &rng)
            let digits = Int.random(in: 0...9, using: &rng)
            let fraction = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            let offset = Int.random(in: -14 * 60...14 * 60, using: &rng)
            let local = Date(timeIntervalSince1970: TimeInterval(seconds + Int64(offset) * 60))
            var text = String(local.formatted(.iso8601).dropLast())
            if digits > 0 { text += "." + fraction }
            text += Int.random(in: 0..<4, using: &rng) == 0 && offset == 0 ? "Z" : Self.offsetText(offset)
            guard (1900...9999).contains(Int(text.prefix(4)) ?? 0) else { continue }
            let parsed = try #require(RFC3339.parse(text), "\(text)")
            #expect(parsed == Self.foundation(text), "\(text)")
        }
    }

    @Test func anEventWithABadTimestampIsRefusedAsBefore() {
        for text in ["2026-01-26", "yesterday", "2026-01-26T10:00:00.Z"] {
            let body = Array(#"{"id":"e1","type":"job.failed","occurred_at":"\#(text)","data":{}}"#.utf8)
            #expect(throws: EventValidationError.self) { try EventMessage.decode(body) }
            do {
                _ = try EventMessage.decode(body)
            } catch {
                #expect(error.code == "E_INVALID_TIMESTAMP")
            }
        }
    }

    static func offsetText(_ minutes: Int) -> String {
        let magnitude = abs(minutes)
        let hours = magnitude / 60, rest = magnitude % 60
        return (minutes < 0 ? "-" : "+") + (hours < 10 ? "0" : "") + String(hours) + ":" + (rest < 10 ? "0" : "") + String(rest)
    }
}
