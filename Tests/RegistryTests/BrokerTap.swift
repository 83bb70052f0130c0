import Foundation
import Logging
import Messaging
import Synchronization
import TestSupport
import WebhookCore

/// A private queue bound to `webhooks.control` and to `webhooks.tasks` (key `deliver`) that records
/// every message the registry publishes there, so tests can see notices and retry requests.
final class BrokerTap: Sendable {
    private let connection: AMQPConnection
    private let received: TapLog
    private let consumer: Task<Void, Never>

    init() async throws {
        let env = try TestEnvironment.require()
        let queue = "test.registry.tap." + UUID().uuidString
        let topology = AMQPTopology(
            exchanges: [.init(WebhookTopology.controlExchange, type: "fanout"), .init(WebhookTopology.tasksExchange, type: "direct")],
            queues: [.init(queue, arguments: [("x-expires", .int(120_000))])],
            bindings: [
                .init(queue: queue, exchange: WebhookTopology.controlExchange, routingKey: ""),
                .init(queue: queue, exchange: WebhookTopology.tasksExchange, routingKey: WebhookTopology.deliverRoutingKey),
            ])
        var logger = Logger(label: "broker-tap")
        logger.logLevel = .warning
        let connection = AMQPConnection(configuration: try AMQPConfiguration(url: env.amqpURL), topology: topology, logger: logger)
        connection.start()
        guard await connection.waitUntilConnected(timeout: .seconds(15)) else {
            throw HarnessError("the broker tap could not connect")
        }
        self.connection = connection
        let stream = connection.consume(queue: queue, prefetch: 100)
        let received = TapLog()
        self.received = received
        consumer = Task {
            for await delivery in stream {
                let message = TapMessage(
                    exchange: delivery.exchange, messageID: delivery.message.messageID ?? "",
                    body: String(decoding: delivery.message.body, as: UTF8.self))
                received.list.withLock { $0.append(message) }
                connection.ack(delivery)
            }
        }
        // Let the subscription settle before the test publishes.
        try await Task.sleep(for: .milliseconds(300))
    }

    /// Waits until a recorded message satisfies `predicate` (or 10 s pass) and returns it.
    func waitFor(_ predicate: ([String: Any]) -> Bool) async -> [String: Any]? {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            for message in received.list.withLock({ $0 }) {
                guard var object = (try? JSONSerialization.jsonObject(with: Data(message.body.utf8))) as? [String: Any] else { continue }
                object["_exchange"] = message.exchange
                object["_message_id"] = message.messageID
                if predicate(object) { return object }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    func stop() async {
        await connection.close()
        consumer.cancel()
    }
}

struct TapMessage: Sendable {
    let exchange: String
    let messageID: String
    let body: String
}

final class TapLog: Sendable {
    let list = Mutex<[TapMessage]>([])
}
