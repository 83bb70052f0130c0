import Foundation
import Testing
import WebhookCore

@Suite("Timestamps")
struct TimestampTests {
    /// The hand-written formatter writes what Foundation's ISO 8601 style writes, plus milliseconds
    /// when the time has them, and parses back to the same instant.
    @Test func formatAgreesWithFoundationAndRoundTrips() throws {
        var rng = SystemRandomNumberGenerator()
        let samples: [Int64] =
            [0, 999, 1000, 1_769_421_600_000, 1_769_421_600_007, 951_782_400_000 /* 2000-02-29 */, 4_102_444_799_999]
            + (0..<2000).map { _ in Int64.random(in: 0..<4_102_444_800_000, using: &rng) }
        for millis in samples {
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let whole = Date(timeIntervalSince1970: TimeInterval(millis / 1000))
            var expected = whole.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
            if millis % 1000 != 0 {
                expected.removeLast()
                expected += String(format: ".%03dZ", Int(millis % 1000))
            }
            let text = Timestamp.format(date)
            #expect(text == expected, "\(millis)")
            let parsed = try #require(Timestamp.parse(text))
            #expect(Int64((parsed.timeIntervalSince1970 * 1000).rounded()) == millis)
        }
    }
}
