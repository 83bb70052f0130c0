import Foundation
import Logging
import Messaging

/// The broker's own rate on this machine, in the same run: persistent messages of `size` bytes
/// published with confirms (one connection, pipelined) while a consumer on another connection
/// takes and acknowledges them. No Swift service in between: the floor of any design that passes
/// each delivery through the broker.
enum BrokerBenchmark {
    static func run(amqpURL: String, messages: Int, size: Int, quorum: Bool) async throws -> ScenarioResult {
        let queue = "bench.broker.\(quorum ? "quorum" : "classic")"
        let arguments: [(String, AMQPTopology.Argument)] = quorum ? [("x-queue-type", .string("quorum"))] : []
        let topology = AMQPTopology(queues: [.init(queue, arguments: arguments)])
        var logger = Logger(label: "bench-broker")
        logger.logLevel = .warning
        let configuration = try AMQPConfiguration(url: amqpURL)
        let publisher = AMQPConnection(configuration: configuration, topology: topology, logger: logger)
        let consumer = AMQPConnection(configuration: configuration, topology: topology, logger: logger)
        publisher.start()
        consumer.start()
        guard await publisher.waitUntilConnected(timeout: .seconds(20)), await consumer.waitUntilConnected(timeout: .seconds(20)) else {
            await publisher.close()
            await consumer.close()
            throw BenchError.failed("the broker is not reachable at \(amqpURL)")
        }
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        let started = ContinuousClock.now
        let consumed = Task {
            var count = 0
            for await delivery in consumer.consume(queue: queue, prefetch: 500) {
                consumer.ack(delivery)
                count += 1
                if count == messages { break }
            }
            return ContinuousClock.now
        }
        let next = TicketCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Enough concurrent publishers to keep the 1,000-message confirm window full.
            for _ in 0..<1000 {
                group.addTask {
                    while case let n = next.take(), n < messages {
                        try await publisher.publish(exchange: "", routingKey: queue,
                                                    message: AMQPMessage(body: body, messageID: "m\(n)", persistent: true))
                    }
                }
            }
            try await group.waitForAll()
        }
        let published = ContinuousClock.now
        let finished = await consumed.value
        await publisher.close()
        await consumer.close()
        return ScenarioResult(
            scenario: "broker: publish with confirms + consume and ack, \(messages) × \(size) B persistent, \(quorum ? "quorum" : "classic") queue",
            rate: Double(messages) / (finished - started).seconds, rateUnit: "msg/s",
            figures: ["publish side alone (msg/s)": Double(messages) / (published - started).seconds])
    }
}
