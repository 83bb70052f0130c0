import Foundation
import TestSupport
import Testing
import WebhookCore

/// The platform's own events: an endpoint disabled by delivery and its exhausted task are announced
/// to the tenant's endpoints that subscribe to `webhook.disabled` / `task.exhausted`, enabling it
/// again to those subscribed to `webhook.enabled` — signed like any delivery, never to another tenant.
@Suite("Operational events", .serialized)
struct OperationalEventTests {
    /// The JSON bodies `receiver` got, by their `event` type.
    func bodies(_ receiver: TestReceiver, type: String) -> [[String: Any]] {
        receiver.requests.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }.filter {
            $0["event"] as? String == type
        }
    }

    func waitFor(_ receiver: TestReceiver, type: String, count: Int = 1) async -> [[String: Any]] {
        let deadline = ContinuousClock.now + .seconds(30)
        while bodies(receiver, type: type).count < count && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        return bodies(receiver, type: type)
    }

    @Test func disabledExhaustedAndEnabledReachTheTenantsSubscribers() async throws {
        let gone = try await TestReceiver { _, _ in ReceiverReply(status: 410) }
        let ops = try await TestReceiver()
        let otherOps = try await TestReceiver()
        try await Platform.with { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant(), other = TestEnvironment.uniqueTenant()
            let types = #"["webhook.disabled", "webhook.enabled", "task.exhausted"]"#
            let hook = try await platform.createWebhook(
                http, token: token, json: #"{"name": "gone", "url": "\#(gone.url())", "events": ["user.deleted"], "tenant_id": \#(tenant)}"#)
            let watcher = try await platform.createWebhook(
                http, token: token, json: #"{"url": "\#(ops.url())", "events": \#(types), "tenant_id": \#(tenant)}"#)
            _ = try await platform.createWebhook(http, token: token, json: #"{"url": "\#(otherOps.url())", "events": \#(types), "tenant_id": \#(other)}"#)
            try await platform.waitForIndex(http)

            let ids = try await platform.postEvents(http, token: token, json: #"{"type": "user.deleted", "tenant_id": \#(tenant)}"#)
            let disabled = await waitFor(ops, type: OperationalEvents.webhookDisabled)
            #expect(disabled.count == 1, "\(ops.requests.map(\.bodyText))")
            let disabledData = disabled.first?["data"] as? [String: Any] ?? [:]
            #expect(disabledData["webhook_id"] as? Int == hook.id)
            #expect(disabledData["name"] as? String == "gone")
            #expect((disabledData["reason"] as? String)?.contains("410") == true)
            #expect(disabled.first?["tenant_id"] as? Int == Int(tenant))

            let exhausted = await waitFor(ops, type: OperationalEvents.taskExhausted)
            #expect(exhausted.count == 1)
            let exhaustedData = exhausted.first?["data"] as? [String: Any] ?? [:]
            #expect(exhaustedData["event_id"] as? String == ids.first)
            #expect(exhaustedData["event_type"] as? String == "user.deleted")
            #expect(exhaustedData["webhook_id"] as? Int == hook.id)
            #expect(exhaustedData["last_status_code"] as? Int == 410)
            #expect((exhaustedData["task_id"] as? Int ?? 0) > 0)

            // Signed like any delivery, with the watcher's secret.
            let request = try #require(ops.requests.first)
            #expect(request.header("webhook-signature")?.hasPrefix("v1,") == true)
            let expected = WebhookSigner.standardSignature(
                secret: watcher.secret, messageID: request.header("webhook-id") ?? "", timestamp: Int64(request.header("webhook-timestamp") ?? "") ?? 0,
                body: request.body)
            #expect(request.header("webhook-signature") == expected)

            let enable = try await http.send("POST", platform.registryURL + "/api/v1/webhooks/\(hook.id)/enable", token: token)
            #expect(enable.status == 200, "\(enable.text)")
            let enabled = await waitFor(ops, type: OperationalEvents.webhookEnabled)
            #expect(enabled.count == 1)
            #expect((enabled.first?["data"] as? [String: Any])?["webhook_id"] as? Int == hook.id)

            try await Task.sleep(for: .seconds(1))
            #expect(otherOps.requests.isEmpty, "another tenant's subscriber hears nothing of it")
            #expect(gone.requests.count == 1, "the gone endpoint got only the event it answered 410 to")
        }
        await gone.stop()
        await ops.stop()
        await otherOps.stop()
    }
}
