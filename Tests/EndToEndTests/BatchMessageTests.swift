import Foundation
import Messaging
import TestSupport
import Testing
import WebhookCore

/// Ingest publishes a request's events as one batch message; delivery takes batches and single
/// events alike, dead-letters a bad event of a batch alone, and never delivers an event twice.
@Suite("Batch messages", .serialized)
struct BatchMessageTests {
    /// A 100-event request is one message on `webhooks.events` (routing key `@batch`); a one-event
    /// request stays a single-event message routed by its type. Every event is delivered once.
    @Test func aRequestIsOneBrokerMessage() async throws {
        let receiver = try await TestReceiver()
        try await Platform.with(["INGEST_BATCH_MESSAGES": "true"]) { platform, http, token in
            let tap = try await EndToEndTap(amqpURL: platform.environment["AMQP_URL"]!, exchange: WebhookTopology.eventsExchange, type: "topic")
            let tenant = TestEnvironment.uniqueTenant()
            _ = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url())", "events": ["job.failed"], "tenant_id": \(tenant)}
                    """)
            try await platform.waitForIndex(http)

            let marker = "batch-\(UUID().uuidString)"
            let events = (0..<100).map { #"{"type": "job.failed", "tenant_id": \#(tenant), "data": {"marker": "\#(marker)", "n": \#($0)}}"# }
            let ids = try await platform.postEvents(http, token: token, json: "[" + events.joined(separator: ", ") + "]")
            #expect(ids.count == 100 && Set(ids).count == 100)
            let single = "single-\(UUID().uuidString)"
            _ = try await platform.postEvents(http, token: token, json: #"{"type": "job.failed", "tenant_id": \#(tenant), "data": {"marker": "\#(single)"}}"#)

            let received = await receiver.waitForRequests(101)
            try await Task.sleep(for: .seconds(2))
            #expect(received.count == 101)
            #expect(receiver.requests.count == 101, "each event delivered once")
            let webhookIDs = receiver.requests.compactMap { $0.header("webhook-id") }
            #expect(Set(webhookIDs).count == 101)

            let batches = tap.messages(containing: marker)
            #expect(batches.count == 1, "one broker message for the request, got \(batches.count)")
            if let batch = batches.first {
                #expect(batch.routingKey == WebhookTopology.batchRoutingKey)
                #expect(batch.message.contentType == WebhookTopology.batchContentType)
                #expect(batch.message.type == WebhookTopology.batchMessageType)
                #expect(batch.message.headers[WebhookTopology.eventCountHeader] == "100")
                #expect(batch.message.headers[WebhookTopology.acceptedAtHeader] != nil)
                #expect(batch.message.messageID?.hasPrefix("batch_") == true)
                let lines = batch.message.body.split(separator: UInt8(ascii: "\n"))
                #expect(lines.count == 100)
                let lineIDs = lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0))) as? [String: Any] }.compactMap { $0["id"] as? String }
                #expect(lineIDs == ids, "one line per event, in request order")
            }
            let singles = tap.messages(containing: single)
            #expect(singles.count == 1)
            #expect(singles.first?.routingKey == "job.failed" && singles.first?.message.contentType == "application/json")
            await tap.stop()
        }
        await receiver.stop()
    }

    /// A hand-published batch with one bad event: the good ones are delivered, exactly the bad one
    /// goes to `webhooks.dead` with its reason, the batch id and its index. Published again with
    /// the same ids, the batch delivers nothing twice; a single-event message still goes through.
    @Test func aBadEventIsDeadLetteredAloneAndARepublishedBatchDeliversNothingTwice() async throws {
        let receiver = try await TestReceiver()
        try await Platform.with { platform, http, token in
            let amqpURL = platform.environment["AMQP_URL"]!
            let dead = try await EndToEndTap(amqpURL: amqpURL, exchange: WebhookTopology.deadExchange, type: "fanout", bindingKey: "")
            let tenant = TestEnvironment.uniqueTenant()
            _ = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url())", "events": ["job.failed"], "tenant_id": \(tenant)}
                    """)
            try await platform.waitForIndex(http)

            let run = UUID().uuidString.prefix(8).lowercased()
            var lines = (0..<5).map { #"{"id": "evt-\#(run)-\#($0)", "type": "job.failed", "tenant_id": \#(tenant), "data": {"n": \#($0)}}"# }
            lines[3] = #"{"id": "evt-\#(run)-bad", "type": "job.failed", "tenant_id": \#(tenant), "colour": "red"}"#
            let batchID = "batch-test-\(run)"
            let message = AMQPMessage(
                body: Array(lines.joined(separator: "\n").utf8), messageID: batchID, type: WebhookTopology.batchMessageType,
                contentType: WebhookTopology.batchContentType, headers: [WebhookTopology.eventCountHeader: "5"])
            try await dead.publish(exchange: WebhookTopology.eventsExchange, routingKey: WebhookTopology.batchRoutingKey, message: message)

            let received = await receiver.waitForRequests(4)
            #expect(
                Set(received.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }.compactMap { $0["id"] as? String })
                    == Set([0, 1, 2, 4].map { "evt-\(run)-\($0)" }))
            let deadline = ContinuousClock.now + .seconds(15)
            while dead.messages(containing: "evt-\(run)-").isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            try await Task.sleep(for: .seconds(2))
            let letters = dead.messages(containing: "evt-\(run)-")
            #expect(letters.count == 1, "exactly the bad event is dead-lettered, got \(letters.count)")
            if let letter = letters.first {
                #expect(letter.message.body == Array(lines[3].utf8), "the bad event alone, as a single-event message")
                #expect(letter.message.headers[WebhookTopology.deadReasonHeader]?.contains("E_UNKNOWN_FIELD") == true)
                #expect(letter.message.headers[WebhookTopology.batchMessageIDHeader] == batchID)
                #expect(letter.message.headers[WebhookTopology.batchIndexHeader] == "3")
                #expect(letter.message.headers[WebhookTopology.originalRoutingKeyHeader] == WebhookTopology.batchRoutingKey)
            }

            // The same batch again (as a retried upstream would send it): nothing delivered twice.
            try await dead.publish(exchange: WebhookTopology.eventsExchange, routingKey: WebhookTopology.batchRoutingKey, message: message)
            // A single-event message behind it shows the batch was processed.
            let single = #"{"id": "evt-\#(run)-single", "type": "job.failed", "tenant_id": \#(tenant), "data": {}}"#
            try await dead.publish(
                exchange: WebhookTopology.eventsExchange, routingKey: "job.failed",
                message: AMQPMessage(body: Array(single.utf8), messageID: "evt-\(run)-single", type: "job.failed"))
            _ = await receiver.waitForRequests(5)
            try await Task.sleep(for: .seconds(3))
            let ids = receiver.requests.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }.compactMap {
                $0["id"] as? String
            }
            #expect(ids.count == 5 && Set(ids).count == 5, "4 batch events and the single one, each once: \(ids)")
            #expect(ids.contains("evt-\(run)-single"))
            let metrics = try await http.send("GET", platform.deliveryURL + "/metrics")
            #expect(metrics.text.contains("webhooks_delivery_duplicate_events_total 4"), "the republished batch's 4 good events are duplicates")
            #expect(dead.messages(containing: "evt-\(run)-").count == 2, "the bad event of the republished batch is dead-lettered again")
            await dead.stop()
        }
        await receiver.stop()
    }

    /// SIGTERM in the middle of a batch: delivery starts none of its remaining events, finishes the
    /// ones started, exits cleanly and hands the message back; a new delivery process takes it and
    /// delivers the rest, and no event reaches the receiver twice.
    @Test func shutdownHandsBackTheUnstartedEventsOfABatch() async throws {
        // A slow receiver and four events in work at once: 200 events take about 15 s.
        let receiver = try await TestReceiver { _, _ in ReceiverReply(delay: .milliseconds(300)) }
        try await Platform.with(["INGEST_BATCH_MESSAGES": "true", "DELIVERY_PREFETCH": "4", "DELIVERY_ENDPOINT_CONCURRENCY": "4"]) {
            platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            _ = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url())", "events": ["job.failed"], "tenant_id": \(tenant)}
                    """)
            try await platform.waitForIndex(http)
            let events = (0..<200).map { #"{"type": "job.failed", "tenant_id": \#(tenant), "data": {"n": \#($0)}}"# }
            let ids = try await platform.postEvents(http, token: token, json: "[" + events.joined(separator: ", ") + "]")
            #expect(ids.count == 200)

            _ = await receiver.waitForRequests(12)
            let status = await platform.delivery.stop()
            let beforeStop = receiver.requests.count
            #expect(status == 0, "delivery exits cleanly on SIGTERM")
            #expect(beforeStop < 200, "the batch was not worked through before exiting (\(beforeStop) events sent)")
            let log = platform.delivery.logTail(lines: 400)
            #expect(log.contains("batch returned to the queue for its events not started"), "\(log)")

            let replacement = try platform.startDelivery()
            _ = await receiver.waitForRequests(200, timeout: .seconds(90))
            try await Task.sleep(for: .seconds(2))
            let delivered = receiver.requests.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }.compactMap {
                $0["id"] as? String
            }
            #expect(Set(delivered) == Set(ids), "every event delivered")
            #expect(delivered.count == 200, "none twice: the redelivered batch skips the events committed before the stop")
            await replacement.stop()
        }
        await receiver.stop()
    }
}
