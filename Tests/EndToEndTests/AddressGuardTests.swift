import Foundation
import TestSupport
import Testing

/// With the SSRF guard on (the default outside local runs), webhooks at this machine's own
/// non-loopback addresses are refused at connect time, though the receiver there answers.
@Suite("Address guard")
struct AddressGuardTests {
    @Test func ownNonLoopbackAddressesAreRefused() async throws {
        let addresses = LocalAddresses.nonLoopback()
        try #require(!addresses.isEmpty, "this machine has no non-loopback address to test with")
        var receivers: [TestReceiver] = []
        for address in addresses { receivers.append(try await TestReceiver(host: address)) }
        try await Platform.with(["DELIVERY_ALLOW_PRIVATE_NETWORKS": "false"]) { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            var webhooks: [(id: Int, receiver: TestReceiver)] = []
            for receiver in receivers {
                // The receiver answers when asked directly: a refusal below is the guard's.
                let direct = try await http.send("POST", receiver.url("/direct"), body: "{}")
                #expect(direct.status == 200, "\(receiver.url()) answers without the guard")
                let created = try await platform.createWebhook(
                    http, token: token,
                    json: """
                        {"url": "\(receiver.url())", "events": ["job.failed"], "tenant_id": \(tenant)}
                        """)
                webhooks.append((created.id, receiver))
                let test = try await http.send("POST", platform.registryURL + "/api/v1/webhooks/\(created.id)/test", token: token)
                #expect(test.text.contains("address_refused"), "test send to \(receiver.url()): \(test.text)")
            }
            try await platform.waitForIndex(http)
            try await platform.postEvents(http, token: token, json: #"{"type": "job.failed", "tenant_id": \#(tenant)}"#)
            for (id, receiver) in webhooks {
                let logs = try await platform.waitForLogs(http, token: token, webhookID: id) { !$0.isEmpty }
                let error = logs.first?["error"] as? String ?? ""
                #expect(error.contains("address_refused"), "\(receiver.url()): \(logs.first ?? [:])")
                #expect(receiver.requests.allSatisfy { $0.path == "/direct" }, "nothing but the direct request reached \(receiver.url())")
            }
        }
        for receiver in receivers { await receiver.stop() }
    }
}
