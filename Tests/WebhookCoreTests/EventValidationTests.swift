import Foundation
import Testing

@testable import WebhookCore

@Suite("Event validation")
struct EventValidationTests {
    func validate(_ json: String) throws(EventValidationError) -> Event {
        let value = try! JSONParser.parse(json)
        return try EventValidation.event(from: value, defaultID: "generated", now: Date(timeIntervalSince1970: 100))
    }

    func code(_ json: String) -> String? {
        do {
            _ = try validate(json)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func acceptsAFullEvent() throws {
        let event = try validate(
            #"""
            {"id": "e1", "type": "NODE_CREATED", "occurred_at": "2026-01-26T10:00:00.250+08:00", "tenant_id": 3,
             "association_type": "REPO", "association_id": "proj:repo", "resource_key": "/a/b.apk", "data": {"k": [1]}}
            """#)
        #expect(event.id == "e1")
        #expect(event.type == "NODE_CREATED")
        #expect(event.tenantId == 3)
        #expect(event.associationType == .repo)
        #expect(event.occurredAt == Date(timeIntervalSince1970: 1_769_392_800.25))
    }

    @Test func fillsDefaults() throws {
        let event = try validate(#"{"type": "job.failed"}"#)
        #expect(event.id == "generated")
        #expect(event.occurredAt == Date(timeIntervalSince1970: 100))
        #expect(event.data == .object([]))
    }

    @Test func rejectsBadInputWithStableCodes() {
        #expect(code(#"[]"#) == "E_INVALID_EVENT")
        #expect(code(#"{"data": {}}"#) == "E_MISSING_FIELD")
        #expect(code(#"{"type": 5}"#) == "E_WRONG_TYPE")
        #expect(code(#"{"type": "bad type"}"#) == "E_INVALID_EVENT_TYPE")
        #expect(code(#"{"type": "a..b"}"#) == "E_INVALID_EVENT_TYPE")
        #expect(code(#"{"type": "a", "occurred_at": "yesterday"}"#) == "E_INVALID_TIMESTAMP")
        #expect(code(#"{"type": "a", "tenant_id": "one"}"#) == "E_WRONG_TYPE")
        #expect(code(#"{"type": "a", "tenant_id": -1}"#) == "E_INVALID_TENANT")
        #expect(code(#"{"type": "a", "association_type": "GALAXY"}"#) == "E_INVALID_ASSOCIATION")
        #expect(code(#"{"type": "a", "association_type": "REPO", "association_id": "norepo"}"#) == "E_INVALID_ASSOCIATION")
        #expect(code(#"{"type": "a", "association_id": "p"}"#) == "E_INVALID_ASSOCIATION")
        #expect(code(#"{"type": "a", "data": [1]}"#) == "E_WRONG_TYPE")
        #expect(code(#"{"type": "a", "colour": "red"}"#) == "E_UNKNOWN_FIELD")
        #expect(code(#"{"type": "a", "id": ""}"#) == "E_INVALID_ID")
    }

    @Test func idWhitespaceCheckAgreesWithUnicode() {
        var samples = [
            "evt_1", "a b", "a\tb", "x\n", "\u{0B}", "\u{0C}y", "\r", "é", "a\u{85}b", "a\u{A0}b",
            "\u{2028}", "id\u{3000}", "日本", "ok-ü-ok", "",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let scalars = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                Unicode.Scalar(UInt8.random(in: 0...0x7F, using: &generator))
            }
            samples.append(String(String.UnicodeScalarView(scalars)))
        }
        for sample in samples {
            #expect(EventValidation.containsWhitespace(sample) == sample.contains(where: \.isWhitespace), "\(Array(sample.utf8))")
        }
        #expect(code(#"{"type": "a", "id": "a b"}"#) == "E_INVALID_ID")
        #expect(code(#"{"type": "a", "id": "a\u00a0b"}"#) == "E_INVALID_ID")
        #expect(code(#"{"type": "a", "id": "évt"}"#) == nil)
    }

    @Test func refusesNULWhereItWouldReachATextColumn() {
        for field in ["id", "type", "occurred_at", "association_id", "resource_key", "association_type"] {
            let json = #"{"type": "a", "association_type": "PROJECT", "association_id": "p", "\#(field)": "x\u0000y"}"#
            #expect(code(json) == "E_INVALID_CHARACTER", "\(field)")
        }
        #expect(code(#"{"type": "a", "na\u0000me": "x"}"#) == "E_INVALID_CHARACTER")
        #expect(code(#"{"type": "a", "id": "\u0000"}"#) == "E_INVALID_CHARACTER")
    }

    @Test func dataMayHoldNULAndKeepsItThroughTheMessage() throws {
        let event = try validate(#"{"id": "x", "type": "a", "data": {"note": "a\u0000b", "k\u0000": ["\u0000"]}}"#)
        #expect(event.data["note"] == .string("a\u{0}b"))
        let body = String(decoding: event.messageBody, as: UTF8.self)
        #expect(body.contains(#""note": "a\u0000b""#) && !body.utf8.contains(0), "\(body)")
        #expect(try EventMessage.decode(event.messageBody) == event)
        let outgoing = String(decoding: WebhookRequest.body(for: event), as: UTF8.self)
        #expect(outgoing.contains(#""k\u0000": ["\u0000"]"#) && !outgoing.utf8.contains(0), "\(outgoing)")
    }

    @Test func messageRoundTrip() throws {
        let event = try validate(#"{"id": "x", "type": "alert.triggered", "tenant_id": 9, "data": {"b": 2, "a": "é"}}"#)
        #expect(try EventMessage.decode(event.messageBody) == event)
    }

    @Test func bodiesWithoutIdGetAStableDerivedId() throws {
        let body = Array(#"{"type": "job.failed", "occurred_at": "2026-01-01T00:00:00Z"}"#.utf8)
        let a = try EventMessage.decode(body), b = try EventMessage.decode(body)
        #expect(a.id == b.id)
        #expect(a.id.hasPrefix("evt_"))
        #expect(try EventMessage.decode(Array(#"{"type": "job.done", "occurred_at": "2026-01-01T00:00:00Z"}"#.utf8)).id != a.id)
    }

    @Test func malformedMessagesAreRejected() {
        #expect(throws: EventValidationError.self) { try EventMessage.decode(Array("not json".utf8)) }
    }
}
