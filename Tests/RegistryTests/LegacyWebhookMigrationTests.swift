import Foundation
import Logging
import PostgresNIO
import Storage
import TestSupport
import Testing

/// Migration 17: webhooks stored before the URL and header rules, which delivery cannot send, are
/// disabled with a reason the API shows, and can be enabled again only once corrected.
@Suite struct LegacyWebhookMigrationTests {
    /// Rows as an older registry accepted them, and the reason each must show.
    static let legacyRows: [(url: String, headers: String, reason: String)] = [
        ("http://host.example/x\r\nX-Injected: 1", "{}", "the URL contains spaces, line breaks or other control characters"),
        ("http://host.example/trailing\n", "{}", "the URL contains spaces, line breaks or other control characters"),
        ("http://host.example:99999/x", "{}", "the URL's port is not a number from 1 to 65535"),
        ("https://example.com/legacy-te", #"{"Transfer-Encoding": "chunked"}"#, "custom header 'Transfer-Encoding' is one the platform sets"),
        ("https://example.com/legacy-cl", #"{"Content-Length": "1"}"#, "custom header 'Content-Length' is one the platform sets"),
        ("https://example.com/legacy-host", #"{"Host": "evil.example"}"#, "custom header 'Host' is one the platform sets"),
        ("https://example.com/legacy-crlf", #"{"X-A": "a\r\nX-Injected: 1"}"#, "a custom header value is not one line of text"),
        ("https://example.com/legacy-name", #"{"Bad Name": "v"}"#, "a custom header name is not a valid header name"),
    ]

    @Test func webhooksDeliveryCannotSendAreDisabledWithTheReason() async throws {
        try await ScratchDatabase.withURL { url in
            try await Harness.run(databaseURL: url) { h in
                let good = try await h.createWebhook(url: "https://example.com/legacy-good", extra: #""headers": {"Authorization": "Bearer a\tb"}"#)
                let tenant = h.tenantA
                let ids: [Int64] = try await Fixtures.withDatabase(url: url) { client in
                    let logger = Logger(label: "test")
                    var ids: [Int64] = []
                    for row in Self.legacyRows {
                        for try await id in try await client.query(
                            """
                            INSERT INTO webhooks (tenant_id, url, secret, events, headers)
                            VALUES (\(tenant), \(row.url), 'legacy-secret', '{*}', \(row.headers)::jsonb) RETURNING id
                            """, logger: logger
                        ).decode(Int64.self) { ids.append(id) }
                    }
                    // The registry built above applied migration 17 to an empty table: apply it again.
                    try await client.query("DELETE FROM schema_migrations WHERE version = 17", logger: logger)
                    try await Migrator.migrate(client, logger: logger)
                    return ids
                }

                for (id, row) in zip(ids, Self.legacyRows) {
                    let canonical = try await h.send(.get, "/api/v1/webhooks/\(id)", token: h.callers.adminA)
                    #expect(canonical.data["status"] as? String == "disabled", "\(row.url.debugDescription): \(canonical)")
                    #expect(canonical.data["enabled"] as? Bool == false)
                    let reason = canonical.data["disabled_reason"] as? String ?? ""
                    #expect(reason.contains(row.reason), "\(row.url.debugDescription): \(reason)")
                    let fastAPIStyle = try await h.send(.get, "/api/webhooks/\(id)", token: h.callers.adminA)
                    #expect(fastAPIStyle.object["disabled_reason"] as? String == reason && fastAPIStyle.object["enabled"] as? Bool == false)
                }
                let kept = try await h.send(.get, "/api/v1/webhooks/\(good)", token: h.callers.adminA)
                #expect(kept.data["status"] as? String == "active" && kept.data["disabled_reason"] is NSNull, "\(kept)")

                // Enabling applies today's rules; correcting the row in the same request enables it.
                let injected = ids[0], teHeader = ids[3]
                let refused = try await h.send(.post, "/api/v1/webhooks/\(injected)/enable", token: h.callers.adminA)
                #expect(refused.status == 400 && refused.code == "E_INVALID_URL", "\(refused)")
                let toggled = try await h.send(.post, "/api/webhooks/\(teHeader)/toggle", token: h.callers.adminA)
                #expect(toggled.status == 400 && toggled.code == "E_RESERVED_HEADER", "\(toggled)")
                let renamed = try await h.send(.patch, "/api/v1/webhooks/\(injected)", token: h.callers.adminA, body: #"{"name": "still broken"}"#)
                #expect(renamed.status == 400 && renamed.code == "E_INVALID_URL", "a row is saved only once it follows the rules: \(renamed)")
                let fixed = try await h.send(
                    .patch, "/api/v1/webhooks/\(injected)", token: h.callers.adminA,
                    body: #"{"url": "http://host.example/x", "enabled": true}"#)
                #expect(fixed.status == 200 && fixed.data["status"] as? String == "active" && fixed.data["disabled_reason"] is NSNull, "\(fixed)")
                let cleared = try await h.send(.put, "/api/webhooks/\(teHeader)", token: h.callers.adminA, body: #"{"headers": {}}"#)
                #expect(cleared.status == 200, "\(cleared)")
                let enabled = try await h.send(.post, "/api/webhooks/\(teHeader)/toggle", token: h.callers.adminA)
                #expect(enabled.status == 200 && enabled.object["enabled"] as? Bool == true, "\(enabled)")
            }
        }
    }
}
