import IngestApp
import Messaging
import Synchronization
import Testing
import WebhookCore

/// How ingest turns a request's events into broker messages with `INGEST_BATCH_MESSAGES=true`:
/// batch messages of at most `EventPublisher.maximumBatchBytes`, each event's outcome its message's.
@Suite struct EventPublisherTests {
    @Test(
        arguments: [
            ([], 25, []),
            ([10, 10, 10], 25, [0..<2, 2..<3]),
            ([10, 10], 20, [0..<2]),
            ([30], 25, [0..<1]),
            ([5, 30, 5], 25, [0..<1, 1..<2, 2..<3]),
            ([25, 1], 25, [0..<1, 1..<2]),
            ([1, 1, 1, 1], 100, [0..<4]),
        ] as [([Int], Int, [Range<Int>])])
    func rangesStayUnderTheLimit(sizes: [Int], limit: Int, expected: [Range<Int>]) {
        #expect(EventPublisher.batchRanges(sizes: sizes, limit: limit) == expected)
    }

    /// Publishes nothing anywhere; keeps each message and refuses those whose message id is listed.
    final class Recorder: MessagePublisher {
        let sent = Mutex<[(routingKey: String, message: AMQPMessage)]>([])
        let refused: Set<String>

        init(refusing refused: Set<String> = []) { self.refused = refused }

        func publish(exchange: String, routingKey: String, message: AMQPMessage) async throws(AMQPError) {
            sent.withLock { $0.append((routingKey, message)) }
            if let id = message.messageID, refused.contains(id) { throw AMQPError(.nacked, "refused by the test") }
        }

        func publish(exchange: String, batch: [(routingKey: String, message: AMQPMessage)]) async -> [Result<Void, AMQPError>] {
            var outcomes: [Result<Void, AMQPError>] = []
            for item in batch {
                do throws(AMQPError) {
                    try await publish(exchange: exchange, routingKey: item.routingKey, message: item.message)
                    outcomes.append(.success(()))
                } catch {
                    outcomes.append(.failure(error))
                }
            }
            return outcomes
        }
    }

    static func events(_ count: Int, bytes: Int) -> [(event: Event, body: [UInt8])] {
        (0..<count).map { n in
            let event = Event(
                id: "evt-\(n)", type: "job.failed", occurredAt: .init(timeIntervalSince1970: 1_800_000_000), tenantId: 7,
                data: .object([("padding", .string(String(repeating: "p", count: bytes)))]))
            return (event, event.messageBody)
        }
    }

    @Test func largeRequestsAreSplitUnderTheByteLimit() async {
        let recorder = Recorder()
        let events = Self.events(5, bytes: 100 << 10)
        let outcomes = await EventPublisher(connection: recorder, batchMessages: true).publish(events)
        #expect(outcomes.allSatisfy { (try? $0.get()) != nil })
        let sent = recorder.sent.withLock { $0 }.sorted { ($0.message.messageID ?? "") < ($1.message.messageID ?? "") }
        // 2 + 2 events in batch messages, the fifth alone as a single-event message.
        #expect(sent.count == 3)
        let batches = sent.filter { $0.routingKey == WebhookTopology.batchRoutingKey }
        #expect(batches.count == 2)
        #expect(batches.allSatisfy { $0.message.body.count <= EventPublisher.maximumBatchBytes })
        #expect(batches.allSatisfy { $0.message.headers[WebhookTopology.eventCountHeader] == "2" })
        let single = sent.filter { $0.routingKey == "job.failed" }
        #expect(single.map(\.message.messageID) == ["evt-4"])
        #expect(single.first?.message.body == events[4].body)
        // Every event travels exactly once.
        let lines = batches.flatMap { $0.message.body.split(separator: UInt8(ascii: "\n")).map(Array.init) } + single.map(\.message.body)
        #expect(Set(lines.map { String(decoding: $0, as: UTF8.self) }) == Set(events.map { String(decoding: $0.body, as: UTF8.self) }))
    }

    @Test func aRefusedMessageFailsOnlyItsEvents() async {
        let events = Self.events(5, bytes: 100 << 10)
        let recorder = Recorder(refusing: ["evt-4"])
        let outcomes = await EventPublisher(connection: recorder, batchMessages: true).publish(events)
        #expect(outcomes.prefix(4).allSatisfy { (try? $0.get()) != nil })
        #expect((try? outcomes[4].get()) == nil)
    }

    @Test func smallRequestsStayOneMessage() async {
        let recorder = Recorder()
        _ = await EventPublisher(connection: recorder, batchMessages: true).publish(Self.events(50, bytes: 100))
        let sent = recorder.sent.withLock { $0 }
        #expect(sent.count == 1)
        #expect(sent.first?.routingKey == WebhookTopology.batchRoutingKey)
        #expect(sent.first?.message.headers[WebhookTopology.eventCountHeader] == "50")
    }
}
