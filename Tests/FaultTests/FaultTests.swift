import Foundation
import TestSupport
import Testing

/// Crashes and restarts in the middle of a run: nothing accepted is lost. These stop and start the
/// shared broker and database, so `make test` runs them on their own, after the other suites.
@Suite("Faults", .serialized)
struct FaultTests {
    func events(_ count: Int, tenant: Int64, from start: Int = 0) -> String {
        "["
            + (start..<(start + count)).map { #"{"id": "fault-\#(tenant)-\#($0)", "type": "job.failed", "tenant_id": \#(tenant), "data": {"n": \#($0)}}"# }
            .joined(separator: ",") + "]"
    }

    /// Checks at-least-once delivery of `expected` event ids, with a stable webhook-id per event.
    func checkDelivered(_ receiver: TestReceiver, expected: Set<String>, timeout: Duration = .seconds(120)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var seen: [String: Set<String>] = [:]
        while ContinuousClock.now < deadline {
            seen = [:]
            for request in receiver.requests {
                guard let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
                    let id = body["id"] as? String
                else { continue }
                seen[id, default: []].insert(request.header("webhook-id") ?? "")
            }
            if expected.isSubset(of: Set(seen.keys)) { break }
            try? await Task.sleep(for: .milliseconds(250))
        }
        let missing = expected.subtracting(seen.keys)
        #expect(missing.isEmpty, "\(missing.count) events never arrived, e.g. \(missing.prefix(5))")
        #expect(seen.values.allSatisfy { $0.count == 1 }, "a redelivered event carries the same webhook-id")
        return missing.isEmpty
    }

    @Test func killingDeliveryMidRunLosesNothing() async throws {
        let env = try TestEnvironment.require()
        let receiver = try await TestReceiver()
        let platform = try await Platform.start(env)
        let http = TestHTTP()
        let tenant = TestEnvironment.uniqueTenant()
        let token = try await platform.adminToken(http)
        _ = try await platform.createWebhook(http, token: token, json: #"{"url": "\#(receiver.url())", "events": ["job.failed"], "tenant_id": \#(tenant)}"#)
        try await platform.waitForIndex(http)
        var expected = Set<String>()
        for batch in 0..<4 { expected.formUnion(try await platform.postEvents(http, token: token, json: events(500, tenant: tenant, from: batch * 500))) }
        #expect(expected.count == 2000)
        _ = await receiver.waitForRequests(300)
        await platform.delivery.kill9()
        let replacement = try platform.startDelivery()
        let ok = await checkDelivered(receiver, expected: expected)
        if !ok { Issue.record("replacement delivery log:\n\(replacement.logTail())") }
        await replacement.stop()
        await platform.stop()
        await receiver.stop()
        await http.shutdown()
    }

    @Test func brokerRestartLosesNothingAndServicesRecover() async throws {
        let env = try TestEnvironment.require()
        let receiver = try await TestReceiver()
        let platform = try await Platform.start(env)
        let http = TestHTTP()
        let tenant = TestEnvironment.uniqueTenant()
        let token = try await platform.adminToken(http)
        _ = try await platform.createWebhook(http, token: token, json: #"{"url": "\#(receiver.url())", "events": ["job.failed"], "tenant_id": \#(tenant)}"#)
        try await platform.waitForIndex(http)
        var expected = Set(try await platform.postEvents(http, token: token, json: events(500, tenant: tenant)))
        _ = await receiver.waitForRequests(50)
        try await env.infra("stop-rabbitmq")
        let refused = try await http.send("POST", platform.ingestURL + "/api/v1/events", token: token, body: events(1, tenant: tenant, from: 9999))
        #expect(refused.status == 503, "never 202 for an event the broker did not confirm")
        #expect(refused.header("Retry-After") != nil)
        try await env.infra("start")
        expected.formUnion(try await platform.postEventsRetrying(http, token: token, json: events(500, tenant: tenant, from: 500)))
        let ok = await checkDelivered(receiver, expected: expected)
        if !ok { Issue.record("\(platform.logTails)") }
        #expect(platform.ingest.isRunning && platform.delivery.isRunning, "no restart needed")
        await platform.stop()
        await receiver.stop()
        await http.shutdown()
    }

    @Test func databaseRestartLosesNothingAndServicesRecover() async throws {
        let env = try TestEnvironment.require()
        let receiver = try await TestReceiver()
        let platform = try await Platform.start(env)
        let http = TestHTTP()
        let tenant = TestEnvironment.uniqueTenant()
        let token = try await platform.adminToken(http)
        _ = try await platform.createWebhook(http, token: token, json: #"{"url": "\#(receiver.url())", "events": ["job.failed"], "tenant_id": \#(tenant)}"#)
        try await platform.waitForIndex(http)
        var expected = Set(try await platform.postEvents(http, token: token, json: events(500, tenant: tenant)))
        _ = await receiver.waitForRequests(50)
        try await env.infra("stop-postgres")
        // Events keep coming in while the database is away: ingest does not need it.
        expected.formUnion(try await platform.postEvents(http, token: token, json: events(300, tenant: tenant, from: 500)))
        try await Task.sleep(for: .seconds(2))
        try await env.infra("start")
        let ok = await checkDelivered(receiver, expected: expected)
        if !ok { Issue.record("\(platform.logTails)") }
        #expect(platform.registry.isRunning && platform.delivery.isRunning, "no restart needed")
        let relogin = try await http.send(
            "POST", platform.registryURL + "/api/auth/login",
            body: #"{"username": "\#(platform.adminUsername)", "password": "\#(platform.adminPassword)"}"#)
        #expect(relogin.status == 200, "the registry recovered by itself")
        await platform.stop()
        await receiver.stop()
        await http.shutdown()
    }
}
