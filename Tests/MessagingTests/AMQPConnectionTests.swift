import Foundation
import Logging
import Messaging
import TestSupport
import Testing

/// The rabbitmq-c wrapper against a real RabbitMQ.
@Suite("AMQP connection")
struct AMQPConnectionTests {
    func connect(_ topology: AMQPTopology) throws -> AMQPConnection {
        let env = try TestEnvironment.require()
        var logger = Logger(label: "amqp-test")
        logger.logLevel = .warning
        let connection = AMQPConnection(configuration: try AMQPConfiguration(url: env.amqpURL), topology: topology, logger: logger)
        connection.start()
        return connection
    }

    /// A private exchange and queue per test run.
    func privateTopology() -> (AMQPTopology, exchange: String, queue: String) {
        let suffix = UUID().uuidString.prefix(8)
        let exchange = "test.exchange.\(suffix)", queue = "test.queue.\(suffix)"
        return (
            AMQPTopology(
                exchanges: [.init(exchange, type: "topic")],
                queues: [.init(queue, arguments: [("x-queue-type", .string("quorum"))])],
                bindings: [.init(queue: queue, exchange: exchange, routingKey: "#")]), exchange, queue
        )
    }

    @Test func parsesURLs() throws {
        let c = try AMQPConfiguration(url: "amqp://u%40x:p%2Fw@broker:5673/%2f")
        #expect(c.host == "broker" && c.port == 5673 && c.user == "u@x" && c.password == "p/w" && c.virtualHost == "/")
        #expect(try AMQPConfiguration(url: "amqp://h/vh").virtualHost == "vh")
        #expect(throws: AMQPError.self) { try AMQPConfiguration(url: "http://h") }
    }

    @Test func publishesWithConfirmsAndConsumesEveryMessage() async throws {
        let (topology, exchange, queue) = privateTopology()
        let connection = try connect(topology)
        #expect(await connection.waitUntilConnected(timeout: .seconds(20)))
        let count = 2_000
        // Many publishes in flight at once share the confirm window.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<count {
                group.addTask {
                    let message = AMQPMessage(
                        body: Array("{\"n\": \(i)}".utf8), messageID: "m-\(i)", type: "test.type",
                        headers: ["x-index": "\(i)"])
                    try await connection.publish(exchange: exchange, routingKey: "test.type", message: message)
                }
            }
            try await group.waitForAll()
        }
        var seen = Set<String>()
        var first: AMQPDelivery?
        for await delivery in connection.consume(queue: queue, prefetch: 200) {
            if first == nil { first = delivery }
            seen.insert(delivery.message.messageID ?? "")
            connection.ack(delivery)
            if seen.count == count { break }
        }
        #expect(seen.count == count)
        let d = try #require(first)
        #expect(d.message.type == "test.type")
        #expect(d.message.contentType == "application/json")
        #expect(d.message.persistent)
        #expect(d.routingKey == "test.type")
        #expect(d.message.headers["x-index"].map { "m-\($0)" } == d.message.messageID)
        #expect(String(decoding: d.message.body, as: UTF8.self).hasPrefix("{\"n\": "))
        await connection.close()
    }

    @Test func aBatchIsPublishedInOrderAndConfirmedAsAWhole() async throws {
        let (topology, exchange, queue) = privateTopology()
        let connection = try connect(topology)
        #expect(await connection.waitUntilConnected(timeout: .seconds(20)))
        // Larger than the confirm window (1,000): the worker sends the rest as confirms come back.
        let count = 2_500
        let batch = (0..<count).map { i in
            (routingKey: "batch.\(i % 3)", message: AMQPMessage(body: Array("{\"n\": \(i)}".utf8), messageID: "b-\(i)"))
        }
        let outcomes = await connection.publish(exchange: exchange, batch: batch)
        #expect(outcomes.count == count)
        #expect(outcomes.allSatisfy { if case .success = $0 { true } else { false } })
        #expect(await connection.publish(exchange: exchange, batch: []).isEmpty)
        var ids: [String] = []
        var keys = Set<String>()
        for await delivery in connection.consume(queue: queue, prefetch: 500) {
            ids.append(delivery.message.messageID ?? "")
            keys.insert(delivery.routingKey)
            connection.ack(delivery)
            if ids.count == count { break }
        }
        #expect(ids == (0..<count).map { "b-\($0)" })
        #expect(keys == ["batch.0", "batch.1", "batch.2"])
        await connection.close()
    }

    @Test func unsettledMessagesAreRedelivered() async throws {
        let (topology, exchange, queue) = privateTopology()
        let first = try connect(topology)
        #expect(await first.waitUntilConnected(timeout: .seconds(20)))
        try await first.publish(exchange: exchange, routingKey: "k", message: AMQPMessage(body: [1, 2, 3], messageID: "only"))
        for await delivery in first.consume(queue: queue, prefetch: 10) {
            #expect(!delivery.redelivered)
            break  // never acked
        }
        await first.close()

        let second = try connect(topology)
        for await delivery in second.consume(queue: queue, prefetch: 10) {
            #expect(delivery.redelivered)
            #expect(delivery.message.messageID == "only")
            #expect(delivery.message.body == [1, 2, 3])
            second.ack(delivery)
            break
        }
        await second.close()
    }

    @Test func publishingWithoutABrokerFailsFast() async throws {
        var logger = Logger(label: "amqp-test")
        logger.logLevel = .critical
        let connection = AMQPConnection(configuration: AMQPConfiguration(host: "127.0.0.1", port: freePort()), topology: AMQPTopology(), logger: logger)
        connection.start()
        await #expect(throws: AMQPError.self) {
            try await connection.publish(exchange: "x", routingKey: "k", message: AMQPMessage(body: []))
        }
        let outcomes = await connection.publish(exchange: "x", batch: [("k", AMQPMessage(body: [1])), ("k", AMQPMessage(body: [2]))])
        #expect(outcomes.count == 2)
        for outcome in outcomes {
            guard case .failure(let error) = outcome else {
                Issue.record("published without a broker")
                continue
            }
            #expect(error.code == .notConnected)
        }
        #expect(!connection.isReady)
        await connection.close()
    }
}
