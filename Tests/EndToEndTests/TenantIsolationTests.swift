import Foundation
import TestSupport
import Testing

/// Tenants cannot suppress or starve each other's deliveries: event ids are unique per tenant (over
/// HTTP, with `Idempotency-Key`, and over AMQP), and each tenant's resource-key patterns are
/// budgeted and matched apart.
@Suite("Tenant isolation")
struct TenantIsolationTests {
    /// Publishes one event straight into the exchange with the README's pika example.
    func publishDirect(_ platform: Platform, type: String, tenant: Int64, id: String) async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_URL"] = platform.environment["AMQP_URL"]
        let arguments = [DirectPublishTests.example, type, #"{"via": "amqp"}"#, "--tenant", "\(tenant)", "--id", id]
        let status = try await Subprocess.run("/usr/bin/env", ["python3"] + arguments, environment: environment)
        #expect(status == 0, "publish_event.py exited \(status)")
    }

    @Test func sameIdsInTwoTenantsAreTwoEvents() async throws {
        let receiver = try await TestReceiver()
        try await Platform.with { platform, http, token in
            let a = TestEnvironment.uniqueTenant(), b = TestEnvironment.uniqueTenant()
            for tenant in [a, b] {
                _ = try await platform.createWebhook(
                    http, token: token,
                    json: """
                        {"url": "\(receiver.url("/t\(tenant)"))", "events": ["order.paid"], "tenant_id": \(tenant)}
                        """)
            }
            try await platform.waitForIndex(http)

            // B publishes first; A's event with the same id must still reach A.
            let id = "order-\(UUID().uuidString.prefix(6).lowercased())"
            for tenant in [b, a] {
                try await platform.postEvents(
                    http, token: token, json: #"{"id": "\#(id)", "type": "order.paid", "tenant_id": \#(tenant), "data": {"t": \#(tenant)}}"#)
            }
            // The same Idempotency-Key from both tenants: two events, each delivered to its own tenant.
            let key = ["Idempotency-Key": "key-\(UUID().uuidString)"]
            var keyed: [[String]] = []
            for tenant in [a, b] {
                let response = try await http.send(
                    "POST", platform.ingestURL + "/api/v1/events", token: token,
                    body: #"{"type": "order.paid", "tenant_id": \#(tenant), "data": {"keyed": true}}"#, headers: key)
                #expect(response.status == 202)
                keyed.append(response.data["ids"] as? [String] ?? [])
            }
            // Over AMQP, the same id in both tenants.
            let directID = "direct-\(UUID().uuidString.prefix(6).lowercased())"
            for tenant in [a, b] { try await publishDirect(platform, type: "order.paid", tenant: tenant, id: directID) }
            // Within one tenant, a repeated id is still one event.
            try await platform.postEvents(http, token: token, json: #"{"id": "\#(id)", "type": "order.paid", "tenant_id": \#(a), "data": {"again": true}}"#)

            let received = await receiver.waitForRequests(6)
            try await Task.sleep(for: .seconds(2))
            #expect(receiver.requests.count == 6, "three events per tenant, the repeated id not again: \(receiver.requests.map(\.path))")
            for (n, tenant) in [a, b].enumerated() {
                let mine = received.filter { $0.path == "/t\(tenant)" }
                let bodies = mine.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }
                #expect(bodies.count == 3, "tenant \(tenant) got \(bodies.count) deliveries")
                #expect(bodies.allSatisfy { ($0["tenant_id"] as? NSNumber)?.int64Value == tenant }, "only its own events")
                #expect(Set(bodies.compactMap { $0["id"] as? String }) == Set([id, directID] + keyed[n]))
            }
            #expect(keyed[0] == keyed[1] && keyed[0].count == 1, "the key derives the same id in both tenants")
            let messageIDs = received.compactMap { $0.header("webhook-id") }
            #expect(Set(messageIDs).count == 6, "one webhook-id per event, and the same ids in two tenants are two events: unique across tenants")
        }
        await receiver.stop()
    }

    /// A tenant at its pattern budget is refused with a code naming the budget; a tenant whose set
    /// cannot be built (here: a 1 MiB set budget) is matched pattern by pattern, and another tenant's
    /// pattern webhooks keep delivering.
    @Test func patternBudgetsKeepTenantsApart() async throws {
        let receiver = try await TestReceiver()
        try await Platform.with(["DELIVERY_PATTERN_SET_MEMORY_MB": "1"]) { platform, http, token in
            let a = TestEnvironment.uniqueTenant(), b = TestEnvironment.uniqueTenant()
            func create(_ tenant: Int64, _ pattern: String, path: String) async throws -> TestResponse {
                let body = try JSONSerialization.data(withJSONObject: [
                    "url": receiver.url(path), "events": ["node.created"], "tenant_id": tenant, "resource_key_pattern": pattern,
                ])
                return try await http.send("POST", platform.registryURL + "/api/v1/webhooks", token: token, body: String(decoding: body, as: UTF8.self))
            }
            // One pattern over the per-pattern size.
            let huge = try await create(b, #"x\pL{40}"#, path: "/huge")
            #expect(huge.status == 422 && huge.json["code"] as? String == "E_PATTERN_TOO_COMPLEX", "\(huge.status) \(huge.text)")
            // Heavy but valid patterns (about 18,000 RE2 instructions each) until the tenant's budget refuses one.
            var created = 0
            var refusal: TestResponse?
            for i in 0..<40 {
                let response = try await create(b, "b\(i)\\pL{15}", path: "/b\(i)")
                if response.status == 201 {
                    created += 1
                    continue
                }
                refusal = response
                break
            }
            #expect(created > 10, "heavy patterns accepted up to the budget")
            #expect(refusal?.status == 422 && refusal?.json["code"] as? String == "E_PATTERN_BUDGET_SIZE", "\(refusal?.text ?? "none refused")")
            #expect(refusal?.text.contains("500000") == true, "the message names the budget")
            // Tenant A is not affected by B's budget.
            let ok = try await create(a, "^order-[0-9]+$", path: "/a")
            #expect(ok.status == 201, "\(ok.text)")
            // Delivery compiles B's heavy set before its index counts as holding A's webhook: longer
            // than the usual propagation on a busy machine.
            try await platform.waitForIndex(http, timeout: .seconds(60))

            try await platform.postEvents(
                http, token: token,
                json: """
                    [{"type": "node.created", "tenant_id": \(a), "resource_key": "order-42"},
                     {"type": "node.created", "tenant_id": \(b), "resource_key": "b3abcdefghijklmno"},
                     {"type": "node.created", "tenant_id": \(b), "resource_key": "b3abcdefghijklmnopqrstuvwxyz"}]
                    """)
            let received = await receiver.waitForRequests(2)
            try await Task.sleep(for: .seconds(2))
            #expect(Set(received.map(\.path)) == ["/a", "/b3"], "\(receiver.requests.map(\.path))")
            #expect(receiver.requests.count == 2, "the key of 26 letters matches no pattern")
            let metrics = try await http.send("GET", platform.deliveryURL + "/metrics").text
            #expect(metrics.contains("webhooks_delivery_pattern_fallback_tenants 1"), "B's set is over its budget")
            #expect(metrics.contains("webhooks_delivery_pattern_fallback_matches_total"), "and its keys were matched one by one")
            #expect(platform.delivery.logTail(lines: 5000).contains("pattern sets over their memory budget"), "and the log says so")
        }
        await receiver.stop()
    }
}
