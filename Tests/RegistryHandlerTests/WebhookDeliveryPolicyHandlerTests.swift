import Foundation
import Testing
import WebhookCore

/// A webhook's delivery overrides (`rate_limit`, `max_in_flight`, `retry_schedule`) through the
/// registry's dialects: checked against their bounds, stored, echoed back, cleared with `null`.
@Suite struct WebhookDeliveryPolicyHandlerTests {
    @Test func canonicalEchoesStoresKeepsAndClearsTheOverrides() async throws {
        try await Registry.run { r in
            let created = try await r.send(
                .post, "/api/v1/webhooks", token: r.adminA,
                body: #"{"url": "https://example.com/policy", "events": ["job.*"], "rate_limit": 20, "max_in_flight": 1, "retry_schedule": [1, 30, 600]}"#
            )
            #expect(created.status == 201, "\(created)")
            #expect(created.data["rate_limit"] as? Int == 20, "\(created)")
            #expect(created.data["max_in_flight"] as? Int == 1, "\(created)")
            #expect(created.data["retry_schedule"] as? [Int] == [1, 30, 600], "\(created)")
            let id = try #require(created.data["webhook_id"] as? Int)
            let stored = await r.database.webhook(Int64(id))
            #expect(stored?.rateLimit == 20 && stored?.maxInFlight == 1 && stored?.retrySchedule == [1, 30, 600])

            let detail = try await r.send(.get, "/api/v1/webhooks/\(id)", token: r.viewerA)
            #expect(detail.data["max_in_flight"] as? Int == 1, "\(detail)")
            let listed = try await r.send(.get, "/api/v1/webhooks", token: r.adminA)
            #expect(listed.items.first?["retry_schedule"] as? [Int] == [1, 30, 600], "\(listed)")

            // Fields not sent keep their value; null clears each one on its own.
            let renamed = try await r.send(.patch, "/api/v1/webhooks/\(id)", token: r.adminA, body: #"{"name": "renamed"}"#)
            #expect(renamed.status == 200 && renamed.data["rate_limit"] as? Int == 20, "\(renamed)")
            let cleared = try await r.send(
                .patch, "/api/v1/webhooks/\(id)", token: r.adminA, body: #"{"rate_limit": null, "retry_schedule": null}"#)
            #expect(cleared.status == 200, "\(cleared)")
            #expect(cleared.data["rate_limit"] is NSNull && cleared.data["retry_schedule"] is NSNull, "\(cleared)")
            #expect(cleared.data["max_in_flight"] as? Int == 1, "\(cleared)")
            let after = await r.database.webhook(Int64(id))
            #expect(after?.rateLimit == nil && after?.retrySchedule == nil && after?.maxInFlight == 1)

            // Without overrides the fields are there, as null.
            let plain = try await r.send(.post, "/api/v1/webhooks", token: r.adminA, body: #"{"url": "https://example.com/plain", "events": ["*"]}"#)
            #expect(plain.status == 201, "\(plain)")
            #expect(plain.data["rate_limit"] is NSNull && plain.data["max_in_flight"] is NSNull && plain.data["retry_schedule"] is NSNull, "\(plain)")
        }
    }

    @Test func canonicalRefusesOutOfRangeOverridesWith422() async throws {
        try await Registry.run { r in
            let cases: [(field: String, value: String)] = [
                ("rate_limit", "0"), ("rate_limit", "100001"), ("rate_limit", "-5"),
                ("max_in_flight", "0"), ("max_in_flight", "1001"),
                ("retry_schedule", "[]"), ("retry_schedule", "[0]"), ("retry_schedule", "[5, 86401]"),
                ("retry_schedule", "[\(Array(repeating: "1", count: 21).joined(separator: ", "))]"),
            ]
            for test in cases {
                let reply = try await r.send(
                    .post, "/api/v1/webhooks", token: r.adminA,
                    body: #"{"url": "https://example.com/refused", "events": ["job.*"], "\#(test.field)": \#(test.value)}"#)
                #expect(reply.status == 422, "\(test): \(reply)")
                #expect(reply.code == "E_INVALID_VALUE", "\(test): \(reply)")
                #expect((reply.object["message"] as? String)?.hasPrefix("'\(test.field)' must be") == true, "\(test): \(reply)")
            }
            #expect(try await r.send(.get, "/api/v1/webhooks", token: r.adminA).items.isEmpty, "nothing was stored")

            // The bounds themselves are accepted; an update out of range leaves the webhook as it was.
            let id = try await r.createWebhook(extra: #""rate_limit": 100000, "max_in_flight": 1000, "retry_schedule": [86400]"#)
            let refused = try await r.send(.patch, "/api/v1/webhooks/\(id)", token: r.adminA, body: #"{"max_in_flight": 0}"#)
            #expect(refused.status == 422 && refused.code == "E_INVALID_VALUE", "\(refused)")
            #expect(await r.database.webhook(id)?.maxInFlight == 1000)
        }
    }

    @Test func fastAPIStyleAndBkRepoTakeTheOverridesAsExtensions() async throws {
        try await Registry.run { r in
            let created = try await r.send(
                .post, "/api/webhooks/", token: r.adminA,
                body: #"{"url": "https://example.com/fa-policy", "events": ["service.started"], "max_in_flight": 2, "retry_schedule": [5]}"#)
            #expect(created.status == 201, "\(created)")
            #expect(created.object["max_in_flight"] as? Int == 2 && created.object["retry_schedule"] as? [Int] == [5], "\(created)")
            #expect(created.object["rate_limit"] is NSNull, "\(created)")
            let refused = try await r.send(
                .post, "/api/webhooks/", token: r.adminA,
                body: #"{"url": "https://example.com/fa-refused", "events": ["service.started"], "rate_limit": 0}"#)
            #expect(refused.status == 422 && refused.code == "E_INVALID_VALUE", "\(refused)")

            let bk = try await r.send(
                .post, "/webhook/api/webhook/create", token: r.adminA,
                body: #"{"url": "https://example.com/bk-policy", "triggers": ["NODE_CREATED"], "rateLimit": 3, "maxInFlight": 1}"#)
            #expect(bk.status == 200, "\(bk)")
            #expect(bk.data["rateLimit"] as? Int == 3 && bk.data["maxInFlight"] as? Int == 1 && bk.data["retrySchedule"] is NSNull, "\(bk)")
        }
    }
}
