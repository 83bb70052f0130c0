import Foundation
import TestSupport
import Testing

/// Upstreams may publish straight into `webhooks.events` with their own AMQP client: the README's
/// pika example (deploy/examples/publish_event.py) is run as documented.
@Suite("Direct AMQP publishing")
struct DirectPublishTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/examples/publish_event.py").path

    func publish(_ platform: Platform, _ arguments: [String]) async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_URL"] = platform.environment["AMQP_URL"]
        let status = try await Subprocess.run("/usr/bin/env", ["python3", Self.example] + arguments, environment: environment)
        #expect(status == 0, "publish_event.py \(arguments) exited \(status)")
    }

    @Test func eventsPublishedWithPikaAreDeliveredOnce() async throws {
        let env = try TestEnvironment.require()
        let receiver = try await TestReceiver()
        let platform = try await Platform.start(env)
        let http = TestHTTP()
        do {
            let token = try await platform.adminToken(http)
            let tenant = TestEnvironment.uniqueTenant()
            _ = try await platform.createWebhook(
                http, token: token, json: #"{"url": "\#(receiver.url())", "events": ["NODE_CREATED"], "tenant_id": \#(tenant)}"#)
            try await platform.waitForIndex(http)

            // With an id, published twice: one delivery. Without an id, the same body twice: one delivery.
            let id = "direct-\(UUID().uuidString)"
            for _ in 0..<2 {
                try await publish(platform, ["NODE_CREATED", #"{"path": "/a.apk"}"#, "--tenant", "\(tenant)", "--id", id])
                try await publish(platform, ["NODE_CREATED", #"{"path": "/b.apk"}"#, "--tenant", "\(tenant)"])
            }
            let received = await receiver.waitForRequests(2)
            try await Task.sleep(for: .seconds(2))
            #expect(receiver.requests.count == 2, "each event fans out once")
            let bodies = received.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }
            #expect(bodies.contains { $0["id"] as? String == id })
            #expect(bodies.contains { ($0["id"] as? String)?.hasPrefix("evt_") == true && ($0["data"] as? [String: Any])?["path"] as? String == "/b.apk" })
        } catch {
            Issue.record("\(platform.logTails)")
            await platform.stop()
            await receiver.stop()
            await http.shutdown()
            throw error
        }
        await platform.stop()
        await receiver.stop()
        await http.shutdown()
    }
}
