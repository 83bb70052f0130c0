import Foundation
import Logging
import TestSupport
import Testing

/// The pattern budgets guard what a tenant adds; they never stand in the way of switching a webhook
/// off or rotating its secret, even for a pattern stored before the budgets existed.
@Suite struct PatternBudgetTests {
    @Test func budgetsApplyToNewPatternsNotToDisabling() async throws {
        try await Harness.run { h in
            let token = h.callers.adminA
            let id = try await h.createWebhook(extra: #""resource_key_pattern": "order-[0-9]+""#)
            // A heavy pattern written before the budgets (straight into the table, as an old row).
            _ = try await Fixtures.withDatabase { client in
                try await client.query(
                    #"UPDATE webhooks SET resource_key_pattern = 'x\pL{40}', pattern_size = NULL WHERE id = \#(id)"#,
                    logger: Logger(label: "test"))
            }
            let disabled = try await h.send(.put, "/api/v1/webhooks/\(id)", token: token, body: #"{"enabled": false}"#)
            #expect(disabled.status == 200, "disabling is never refused: \(disabled)")
            let rotated = try await h.send(.post, "/api/v1/webhooks/\(id)/rotate-secret", token: token, body: "{}")
            #expect(rotated.status == 200, "nor is rotating the secret: \(rotated)")
            let enabled = try await h.send(.put, "/api/v1/webhooks/\(id)", token: token, body: #"{"enabled": true}"#)
            #expect(
                enabled.status == 422 && enabled.object["code"] as? String == "E_PATTERN_TOO_COMPLEX",
                "becoming active again checks the budgets: \(enabled)")
            let changed = try await h.send(.put, "/api/v1/webhooks/\(id)", token: token, body: #"{"resource_key_pattern": "y\\pL{30}"}"#)
            #expect(changed.status == 422 && changed.object["code"] as? String == "E_PATTERN_TOO_COMPLEX", "\(changed)")
            let fixed = try await h.send(
                .put, "/api/v1/webhooks/\(id)", token: token,
                body: #"{"resource_key_pattern": "order-[0-9]+", "enabled": true}"#)
            #expect(fixed.status == 200, "\(fixed)")
        }
    }
}
