import Foundation
import Logging
import Messaging
import Synchronization

/// A private queue bound to one exchange of a platform's virtual host that records every message
/// routed there: how tests see what the services publish without taking it from their queues.
final class EndToEndTap: Sendable {
    private let connection: AMQPConnection
    private let received = Received()
    private let consumer: Task<Void, Never>

    /// - Parameters:
    ///   - amqpURL: the platform's `AMQP_URL` (its own virtual host).
    ///   - exchange: the exchange to bind to, declared as `type` if missing.
    ///   - bindingKey: `#` for every message of a topic exchange.
    init(amqpURL: String, exchange: String, type: String, bindingKey: String = "#") async throws {
        let queue = "test.tap." + UUID().uuidString
        let topology = AMQPTopology(
            exchanges: [.init(exchange, type: type)],
            queues: [.init(queue, arguments: [("x-expires", .int(120_000))])],
            bindings: [.init(queue: queue, exchange: exchange, routingKey: bindingKey)])
        var logger = Logger(label: "tap")
        logger.logLevel = .warning
        let connection = AMQPConnection(configuration: try AMQPConfiguration(url: amqpURL), topology: topology, logger: logger)
        connection.start()
        guard await connection.waitUntilConnected(timeout: .seconds(15)) else {
            throw TapError(description: "the tap could not connect to \(amqpURL)")
        }
        self.connection = connection
        let stream = connection.consume(queue: queue, prefetch: 200)
        let received = self.received
        consumer = Task {
            for await delivery in stream {
                received.list.withLock { $0.append(delivery) }
                connection.ack(delivery)
            }
        }
        // Let the queue and its binding settle before the test publishes.
        try await Task.sleep(for: .milliseconds(500))
    }

    /// Messages received so far whose body contains `marker`.
    func messages(containing marker: String) -> [AMQPDelivery] {
        let needle = Array(marker.utf8)
        return received.list.withLock { $0 }.filter { $0.message.body.contains(needle) }
    }

    /// Messages received so far that satisfy `predicate`.
    func messages(where predicate: (AMQPDelivery) -> Bool) -> [AMQPDelivery] {
        received.list.withLock { $0 }.filter(predicate)
    }

    /// Publishes on the tap's connection and waits for the broker's confirm.
    func publish(exchange: String, routingKey: String, message: AMQPMessage) async throws {
        try await connection.publish(exchange: exchange, routingKey: routingKey, message: message)
    }

    func stop() async {
        await connection.close()
        consumer.cancel()
    }

    struct TapError: Error, CustomStringConvertible {
        let description: String
    }

    /// What the tap got (a class: `Mutex` cannot be copied into the consumer task).
    final class Received: Sendable {
        let list = Mutex<[AMQPDelivery]>([])
    }
}
