import Foundation
import TestSupport
import Testing

/// Webhooks' own delivery limits over real processes, RabbitMQ and PostgreSQL: `max_in_flight` caps
/// one endpoint below the global cap, `retry_schedule` retries sooner than the global schedule.
@Suite("Delivery policies end to end", .serialized)
struct DeliveryPolicyTests {
    @Test func aWebhooksOwnCapKeepsItToOneRequestAtATime() async throws {
        let capped = try await TestReceiver { _, _ in ReceiverReply(delay: .milliseconds(300)) }
        let open = try await TestReceiver { _, _ in ReceiverReply(delay: .milliseconds(300)) }
        var settings = DeliveryBehaviourTests.fastRetries
        settings["DELIVERY_ENDPOINT_CONCURRENCY"] = "10"
        try await Platform.with(settings) { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            let one = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(capped.url())", "events": ["build.finished"], "tenant_id": \(tenant), "max_in_flight": 1}
                    """)
            _ = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(open.url())", "events": ["build.finished"], "tenant_id": \(tenant)}
                    """)
            let shown = try await platform.webhook(http, token: token, id: one.id)
            #expect(shown["max_in_flight"] as? Int == 1, "\(shown)")
            try await platform.waitForIndex(http)
            let count = 5
            let events = (0..<count).map { #"{"type": "build.finished", "tenant_id": \#(tenant), "data": {"n": \#($0)}}"# }
            try await platform.postEvents(http, token: token, json: "[" + events.joined(separator: ",") + "]")

            let toOpen = await open.waitForRequests(count, timeout: .seconds(60))
            let toCapped = await capped.waitForRequests(count, timeout: .seconds(120))
            try #require(toOpen.count == count && toCapped.count == count, "delivery log:\n\(platform.delivery.logTail())")
            #expect(capped.peakInFlight == 1, "never two requests at once to the capped webhook: \(capped.peakInFlight)")
            #expect(open.peakInFlight >= 2, "the other webhook gets several at once: \(open.peakInFlight)")
        }
        await capped.stop()
        await open.stop()
    }

    @Test func aWebhooksOwnScheduleRetriesSoonerThanTheGlobalOne() async throws {
        let quick = try await TestReceiver { n, _ in ReceiverReply(status: n <= 2 ? 500 : 200) }
        let slow = try await TestReceiver { _, _ in ReceiverReply(status: 500) }
        var settings = DeliveryBehaviourTests.fastRetries
        settings["DELIVERY_RETRY_SCHEDULE"] = "600"
        try await Platform.with(settings) { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            let hook = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(quick.url())", "events": ["deploy.failed"], "tenant_id": \(tenant), "retry_schedule": [1, 1]}
                    """)
            _ = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(slow.url())", "events": ["deploy.failed"], "tenant_id": \(tenant)}
                    """)
            try await platform.waitForIndex(http)
            try await platform.postEvents(http, token: token, json: #"{"type": "deploy.failed", "tenant_id": \#(tenant)}"#)

            let received = await quick.waitForRequests(3, timeout: .seconds(60))
            try #require(received.count == 3, "delivery log:\n\(platform.delivery.logTail())")
            let logs = try await platform.waitForLogs(http, token: token, webhookID: hook.id) { $0.count == 3 }
            #expect(logs.map { $0["attempt"] as? Int } == [3, 2, 1])
            #expect(logs.map { $0["status_code"] as? Int } == [200, 500, 500])
            // The webhook without a schedule of its own waits the global 600 s after its first failure.
            #expect(slow.requests.count == 1, "no early retry under the global schedule: \(slow.requests.count)")
        }
        await quick.stop()
        await slow.stop()
    }
}
