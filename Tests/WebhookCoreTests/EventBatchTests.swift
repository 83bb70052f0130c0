import Testing

@testable import WebhookCore

/// The batch message body: one event message body per line, each decoded on its own.
@Suite("Event batches")
struct EventBatchTests {
    func event(_ id: String, tenant: Int64? = 7) throws -> Event {
        let tenantField = tenant.map { #", "tenant_id": \#($0)"# } ?? ""
        return try EventMessage.decode(Array(#"{"id": "\#(id)", "type": "job.failed"\#(tenantField), "data": {"n": "a\nb"}}"#.utf8))
    }

    @Test func encodedEventsDecodeBackInOrder() throws {
        let events = try (0..<5).map { try event("evt-\($0)") }
        let body = EventBatch.encode(events.map(\.messageBody))
        #expect(body.filter { $0 == UInt8(ascii: "\n") }.count == 4, "one line per event: the newline in the data is escaped")
        let items = try EventBatch.decode(body, expectedCount: 5)
        #expect(items.map(\.index) == [0, 1, 2, 3, 4])
        #expect(items.map { try? $0.event.get().messageBody } == events.map(\.messageBody), "the same events (compared as their bodies)")
        #expect(items.map(\.body) == events.map(\.messageBody), "each line is exactly the single-event message body")
    }

    @Test func aBadLineSpoilsOnlyItself() throws {
        let good = try event("evt-good").messageBody
        let body = Array("not json at all\n".utf8) + good + Array("\n{\"colour\": \"red\"}\n\n  \n".utf8) + good
        let items = try EventBatch.decode(body)
        #expect(items.count == 4, "blank lines are skipped")
        #expect(try items[1].event.get().id == "evt-good")
        #expect(try items[3].event.get().id == "evt-good")
        #expect(throws: EventValidationError.self) { try items[0].event.get() }
        if case .failure(let error) = items[0].event { #expect(error.code == "E_INVALID_JSON") }
        if case .failure(let error) = items[2].event { #expect(error.code == "E_UNKNOWN_FIELD") } else { Issue.record("line 2 decoded") }
        #expect(items[2].index == 2 && items[2].body == Array(#"{"colour": "red"}"#.utf8))
    }

    @Test func anEventWithoutIdGetsTheIdItWouldGetAlone() throws {
        let line = Array(#"{"type": "job.failed", "data": {}}"#.utf8)
        let alone = try EventMessage.decode(line)
        let inBatch = try EventBatch.decode(line + [UInt8(ascii: "\n")] + line)
        #expect(try inBatch[0].event.get().id == alone.id)
        #expect(try inBatch[1].event.get().id == alone.id, "the same line twice is the same event")
        #expect(alone.id.hasPrefix("evt_"))
    }

    @Test func wholeMessageFaults() {
        #expect(throws: EventValidationError(code: "E_EMPTY_BATCH", message: "the batch message holds no events")) {
            try EventBatch.decode(Array(" \n\n\t\n".utf8))
        }
        #expect(throws: EventValidationError.self) { try EventBatch.decode(Array("{}\n{}".utf8), expectedCount: 3) }
        do {
            _ = try EventBatch.decode(Array("{}\n{}".utf8), expectedCount: 3)
        } catch {
            #expect(error.code == "E_BATCH_COUNT_MISMATCH")
        }
        #expect((try? EventBatch.decode(Array("{}\n{}".utf8), expectedCount: 2).count) == 2)
    }

    @Test func messageIdFollowsTheEventKeys() {
        let keys = [EventKey(scope: 7, id: "a"), EventKey(scope: 7, id: "b")]
        let id = EventBatch.messageID(for: keys)
        #expect(id.hasPrefix("batch_") && id.count == 38)
        #expect(EventBatch.messageID(for: keys) == id, "a republished request is recognisable")
        #expect(EventBatch.messageID(for: keys.reversed()) != id)
        #expect(EventBatch.messageID(for: [EventKey(scope: 8, id: "a"), EventKey(scope: 7, id: "b")]) != id, "ids are scoped by tenant")
        #expect(EventBatch.messageID(for: [EventKey(scope: 7, id: "a")]) != id)
    }
}
