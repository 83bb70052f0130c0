import Foundation
import Logging
import Messaging

/// The broker's own rates on this machine, in the same run as the rest: persistent messages of
/// `size` bytes published with confirms (one connection, pipelined like ingest), consumed and
/// acknowledged on another connection — first each alone, then both at once. No Swift service in
/// between: the floor of any design that passes each event or delivery through the broker.
enum BrokerBenchmark {
    static func run(amqpURL: String, messages: Int, size: Int, quorum: Bool, watch: ProcessWatch?) async throws -> ScenarioResult {
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
        let deliveries = consumer.consume(queue: queue, prefetch: 500)
        var iterator = deliveries.makeAsyncIterator()

        // Publish alone (nothing consumes yet), then consume alone what was published.
        var started = ContinuousClock.now
        try await publish(messages, body: body, queue: queue, on: publisher)
        let publishOnly = ContinuousClock.now - started
        started = ContinuousClock.now
        for _ in 0..<messages {
            guard let delivery = await iterator.next() else { throw BenchError.failed("the consumer stopped") }
            consumer.ack(delivery)
        }
        let consumeOnly = ContinuousClock.now - started

        // Both at once (the CPU of each process is read for this phase).
        watch?.resetPeaks()
        let cpuBefore = watch?.read()
        started = ContinuousClock.now
        let consumed = Task {
            for _ in 0..<messages {
                guard let delivery = await iterator.next() else { break }
                consumer.ack(delivery)
            }
            return ContinuousClock.now
        }
        try await publish(messages, body: body, queue: queue, on: publisher)
        let published = ContinuousClock.now
        let finished = await consumed.value
        let rate = Double(messages) / (finished - started).seconds
        let cpu = watch.flatMap { w in cpuBefore.map { w.figures(since: $0, rate: rate) } } ?? [:]
        await publisher.close()
        await consumer.close()
        return ScenarioResult(
            scenario: "broker: publish with confirms + consume and ack at once, \(messages) × \(size) B persistent, \(quorum ? "quorum" : "classic") queue",
            rate: rate, rateUnit: "msg/s",
            figures: [
                "publish with confirms alone (msg/s)": Double(messages) / publishOnly.seconds,
                "consume and ack alone (msg/s)": Double(messages) / consumeOnly.seconds,
                "publish side while consuming (msg/s)": Double(messages) / (published - started).seconds,
            ].merging(cpu) { a, _ in a },
            notes: cpu.isEmpty ? [] : ["cpu: during publish and consume at once; µs per unit: per message (bench: the client)"])
    }

    /// Publishes `count` messages from enough concurrent tasks to keep the confirm window full.
    static func publish(_ count: Int, body: [UInt8], queue: String, on connection: AMQPConnection) async throws {
        let next = TicketCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<1000 {
                group.addTask {
                    while case let n = next.take(), n < count {
                        try await connection.publish(exchange: "", routingKey: queue, message: AMQPMessage(body: body, messageID: "m\(n)", persistent: true))
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
