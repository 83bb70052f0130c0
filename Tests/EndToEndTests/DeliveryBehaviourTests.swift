import Foundation
import TestSupport
import Testing

/// Retries, Retry-After, 410 Gone, timeouts, the SSRF guard and endpoint isolation, over real
/// processes, RabbitMQ, PostgreSQL and loopback receivers.
@Suite("Delivery behaviour", .serialized)
struct DeliveryBehaviourTests {
    /// A fast retry schedule so that tests take seconds, not hours.
    static let fastRetries = ["DELIVERY_RETRY_SCHEDULE": "1", "DELIVERY_REQUEST_TIMEOUT": "2", "DELIVERY_CONNECT_TIMEOUT": "2"]

    func withPlatform(
        _ extra: [String: String] = fastRetries,
        _ body: (Platform, TestHTTP, String) async throws -> Void
    ) async throws {
        try await Platform.with(extra, body)
    }

    @Test func failingEndpointIsRetriedUntilItSucceeds() async throws {
        let receiver = try await TestReceiver { n, _ in ReceiverReply(status: n <= 2 ? 500 : 200) }
        try await withPlatform { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            let hook = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url())", "events": ["job.failed"], "tenant_id": \(tenant)}
                    """)
            try await platform.waitForIndex(http)
            try await platform.postEvents(http, token: token, json: #"{"type": "job.failed", "tenant_id": \#(tenant)}"#)
            let received = await receiver.waitForRequests(3)
            #expect(received.count == 3)
            #expect(Set(received.map { $0.header("webhook-id") ?? "" }).count == 1, "the same webhook-id on every retry")
            #expect(Set(received.map(\.bodyText)).count == 1, "the same body on every retry")
            let logs = try await platform.waitForLogs(http, token: token, webhookID: hook.id) { $0.count == 3 }
            #expect(logs.map { $0["status_code"] as? Int } == [200, 500, 500])
            #expect(logs.map { $0["attempt"] as? Int } == [3, 2, 1])
            try await Task.sleep(for: .seconds(2))
            #expect(receiver.requests.count == 3, "no attempt after the success")
        }
        await receiver.stop()
    }

    @Test func retryAfterIsHonoured() async throws {
        let receiver = try await TestReceiver { n, _ in n == 1 ? ReceiverReply(status: 429, headers: ["Retry-After": "3"]) : ReceiverReply() }
        try await withPlatform { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            _ = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url())", "events": ["quota.exceeded"], "tenant_id": \(tenant)}
                    """)
            try await platform.waitForIndex(http)
            try await platform.postEvents(http, token: token, json: #"{"type": "quota.exceeded", "tenant_id": \#(tenant)}"#)
            let received = await receiver.waitForRequests(2)
            try #require(received.count == 2)
            #expect(received[1].receivedAt - received[0].receivedAt >= .seconds(3), "not retried before Retry-After")
        }
        await receiver.stop()
    }

    @Test func goneDisablesTheEndpoint() async throws {
        let receiver = try await TestReceiver { _, _ in ReceiverReply(status: 410) }
        try await withPlatform { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            let hook = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url())", "events": ["user.deleted"], "tenant_id": \(tenant)}
                    """)
            try await platform.waitForIndex(http)
            try await platform.postEvents(http, token: token, json: #"{"type": "user.deleted", "tenant_id": \#(tenant)}"#)
            #expect(await receiver.waitForRequests(1).count == 1)
            var webhook: [String: Any] = [:]
            let deadline = ContinuousClock.now + .seconds(15)
            repeat {
                webhook = try await platform.webhook(http, token: token, id: hook.id)
                if webhook["status"] as? String == "auto-disabled" { break }
                try await Task.sleep(for: .milliseconds(200))
            } while ContinuousClock.now < deadline
            #expect(webhook["status"] as? String == "auto-disabled")
            #expect((webhook["disabled_reason"] as? String)?.contains("410") == true)
            #expect(webhook["enabled"] as? Bool == false)
            // The status is stored before delivery's index drops the endpoint (at once on the replica
            // that disabled it, but an event may already be on its way): wait for the index.
            try await platform.waitForIndex(http)
            // No retry of the gone task, and a disabled endpoint gets nothing more.
            try await platform.postEvents(http, token: token, json: #"{"type": "user.deleted", "tenant_id": \#(tenant)}"#)
            try await Task.sleep(for: .seconds(3))
            #expect(receiver.requests.count == 1)
        }
        await receiver.stop()
    }

    @Test func timeoutsAreRecordedAndRetried() async throws {
        let receiver = try await TestReceiver { n, _ in ReceiverReply(delay: n == 1 ? .seconds(6) : .zero) }
        try await withPlatform { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            let hook = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url())", "events": ["backup.created"], "tenant_id": \(tenant)}
                    """)
            try await platform.waitForIndex(http)
            try await platform.postEvents(http, token: token, json: #"{"type": "backup.created", "tenant_id": \#(tenant)}"#)
            let logs = try await platform.waitForLogs(http, token: token, webhookID: hook.id) { $0.count >= 2 }
            try #require(logs.count == 2)
            #expect(logs[1]["success"] as? Bool == false)
            #expect((logs[1]["error"] as? String)?.hasPrefix("timeout") == true, "\(logs[1])")
            #expect(logs[0]["success"] as? Bool == true)
        }
        await receiver.stop()
    }

    @Test func ssrfGuardRefusesLoopbackByDefault() async throws {
        let receiver = try await TestReceiver()
        var guarded = Self.fastRetries
        guarded["DELIVERY_ALLOW_PRIVATE_NETWORKS"] = "false"
        try await withPlatform(guarded) { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            var hooks: [Int] = []
            for host in ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "[::1]"] {
                let hook = try await platform.createWebhook(
                    http, token: token,
                    json: """
                        {"url": "http://\(host):\(receiver.port)/hook", "events": ["system.error"], "tenant_id": \(tenant), "max_attempts": 1}
                        """)
                hooks.append(hook.id)
            }
            try await platform.waitForIndex(http)
            try await platform.postEvents(http, token: token, json: #"{"type": "system.error", "tenant_id": \#(tenant)}"#)
            for id in hooks {
                let logs = try await platform.waitForLogs(http, token: token, webhookID: id) { !$0.isEmpty }
                try #require(logs.count == 1)
                #expect((logs[0]["error"] as? String)?.hasPrefix("address_refused") == true, "\(logs[0])")
                #expect(logs[0]["status_code"] == nil || logs[0]["status_code"] is NSNull, "no response")
            }
            #expect(receiver.requests.isEmpty, "the guard refused at connect time: nothing reached the receiver")
            #expect(platform.delivery.isRunning)
        }
        await receiver.stop()
    }

    @Test func slowEndpointDoesNotHoldUpHealthyOnes() async throws {
        let slow = try await TestReceiver { _, _ in ReceiverReply(delay: .seconds(30)) }
        let fast = try await TestReceiver()
        var settings = Self.fastRetries
        settings["DELIVERY_REQUEST_TIMEOUT"] = "30"
        settings["DELIVERY_RETRY_SCHEDULE"] = "60"
        try await withPlatform(settings) { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            for receiver in [slow, fast] {
                _ = try await platform.createWebhook(
                    http, token: token,
                    json: """
                        {"url": "\(receiver.url())", "events": ["job.completed"], "tenant_id": \(tenant)}
                        """)
            }
            try await platform.waitForIndex(http)
            let count = 300
            let started = ContinuousClock.now
            for batch in 0..<(count / 100) {
                let events = (0..<100).map { #"{"type": "job.completed", "tenant_id": \#(tenant), "data": {"n": \#(batch * 100 + $0)}}"# }
                try await platform.postEvents(http, token: token, json: "[" + events.joined(separator: ",") + "]")
            }
            let delivered = await fast.waitForRequests(count, timeout: .seconds(25))
            #expect(delivered.count == count)
            // Every fast delivery landed while the slow endpoint's first requests were still hanging:
            // the slow endpoint held up nobody.
            let lastFast = delivered.map(\.receivedAt).max() ?? started
            #expect(lastFast < started + .seconds(30))
            #expect(slow.requests.count <= 10, "the slow endpoint never gets more than its in-flight cap at once")
        }
        await slow.stop()
        await fast.stop()
    }
}
