import Foundation
import Logging
import Messaging
import TestSupport
import Testing
import WebhookCore

/// Messages on the queue that are not events end in `webhooks.dead` with a reason; never acked and lost.
@Suite("Dead letters", .serialized)
struct DeadLetterTests {
    @Test func malformedMessagesEndInTheDeadLetterQueue() async throws {
        let env = try TestEnvironment.require()
        let platform = try await Platform.start(env)
        var logger = Logger(label: "dead-letter-test")
        logger.logLevel = .warning
        let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: platform.environment["AMQP_URL"]!), logger: logger)
        amqp.start()
        #expect(await amqp.waitUntilConnected(timeout: .seconds(20)))

        let marker = UUID().uuidString
        let bad: [(String, [UInt8])] = [
            ("not-json-\(marker)", Array("this is not json \(marker)".utf8)),
            ("not-event-\(marker)", Array("{\"colour\": \"\(marker)\"}".utf8)),
        ]
        for (id, body) in bad {
            try await amqp.publish(
                exchange: WebhookTopology.eventsExchange, routingKey: "junk.type",
                message: AMQPMessage(body: body, messageID: id))
        }
        var reasons: [String: String] = [:]
        let deadline = ContinuousClock.now + .seconds(30)
        let stream = amqp.consume(queue: WebhookTopology.deadQueue, prefetch: 50)
        let watchdog = Task {
            try await Task.sleep(until: deadline)
            await amqp.close()
        }
        for await delivery in stream {
            amqp.ack(delivery)
            if let id = delivery.message.messageID, id.hasSuffix(marker) {
                reasons[id] = delivery.message.headers[WebhookTopology.deadReasonHeader] ?? ""
                #expect(delivery.message.headers["x-original-routing-key"] == "junk.type")
            }
            if reasons.count == bad.count { break }
        }
        watchdog.cancel()
        #expect(reasons["not-json-\(marker)"]?.contains("E_INVALID_JSON") == true, "\(reasons)")
        #expect(reasons["not-event-\(marker)"]?.contains("E_UNKNOWN_FIELD") == true, "\(reasons)")
        await amqp.close()
        #expect(platform.delivery.isRunning, "a poison message never crashes delivery")
        await platform.stop()
    }
}
