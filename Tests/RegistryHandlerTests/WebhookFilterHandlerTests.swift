import Foundation
import Testing
import WebhookCore

/// A webhook's payload `filter` through the registry's dialects: checked with the filter
/// language's own errors, stored exactly as sent, echoed back.
@Suite struct WebhookFilterHandlerTests {
    static let filter = #"{"type": "job.failed", "data.attempts": {"$gte": 3}, "data.env": {"$in": ["prod", "stage"]}}"#

    /// The member `key` of the object `value`, if any.
    static func member(_ value: JSONValue?, _ key: String) -> JSONValue? {
        guard case .object(let members)? = value else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// `reply`'s body parsed without loss.
    static func body(_ reply: Reply) throws -> JSONValue {
        try JSONParser.parse(reply.text)
    }

    @Test func canonicalCreateEchoesStoresAndClearsTheFilter() async throws {
        try await Registry.run { r in
            let created = try await r.send(
                .post, "/api/v1/webhooks", token: r.adminA,
                body: #"{"url": "https://example.com/filtered", "events": ["job.*"], "filter": \#(Self.filter)}"#)
            #expect(created.status == 201, "\(created)")
            let expected = try JSONParser.parse(Self.filter)
            #expect(Self.member(Self.member(try Self.body(created), "data"), "filter") == expected, "\(created)")
            let id = try #require(created.data["webhook_id"] as? Int)
            #expect(await r.database.webhook(Int64(id))?.filter == expected)

            let detail = try await r.send(.get, "/api/v1/webhooks/\(id)", token: r.viewerA)
            #expect(Self.member(Self.member(try Self.body(detail), "data"), "filter") == expected, "\(detail)")
            let listed = try await r.send(.get, "/api/v1/webhooks", token: r.adminA)
            #expect((listed.items.first?["filter"] as? [String: Any])?["type"] as? String == "job.failed", "\(listed)")

            // Fields not sent keep the filter; null removes it.
            let renamed = try await r.send(.patch, "/api/v1/webhooks/\(id)", token: r.adminA, body: #"{"name": "renamed"}"#)
            #expect(renamed.status == 200, "\(renamed)")
            #expect(await r.database.webhook(Int64(id))?.filter == expected)
            let cleared = try await r.send(.patch, "/api/v1/webhooks/\(id)", token: r.adminA, body: #"{"filter": null}"#)
            #expect(cleared.status == 200, "\(cleared)")
            #expect(cleared.data["filter"] is NSNull, "\(cleared)")
            #expect(await r.database.webhook(Int64(id))?.filter == nil)

            // Without a filter the field is there, as null.
            let plain = try await r.send(.post, "/api/v1/webhooks", token: r.adminA, body: #"{"url": "https://example.com/plain", "events": ["*"]}"#)
            #expect(plain.status == 201, "\(plain)")
            #expect(plain.data["filter"] is NSNull, "\(plain)")
        }
    }

    @Test func theFilterIsStoredExactlyAsSent() async throws {
        try await Registry.run { r in
            // An integer beyond 64 bits, which a filter compares exactly.
            let filter = #"{"data.serial": 123456789012345678901234567890}"#
            let id = try await r.createWebhook(extra: #""filter": \#(filter)"#)
            #expect(await r.database.webhook(id)?.filter == (try JSONParser.parse(filter)))
        }
    }

    @Test func canonicalRefusesAnInvalidFilterWithItsCodeAndPath() async throws {
        try await Registry.run { r in
            let cases: [(filter: String, code: String, path: String)] = [
                (#"{"data.x": {"$foo": 1}}"#, "E_FILTER_UNKNOWN_OPERATOR", #"$["data.x"].$foo"#),
                (#"{"status": "failed"}"#, "E_FILTER_INVALID_PATH", "$.status"),
                (#"{"$or": []}"#, "E_FILTER_INVALID_OPERAND", "$.$or"),
                (#"["type"]"#, "E_FILTER_NOT_OBJECT", "$"),
                (#"{"data.x": {"$regex": "a{2,1}"}}"#, "E_FILTER_INVALID_REGEX", #"$["data.x"].$regex"#),
            ]
            for test in cases {
                let reply = try await r.send(
                    .post, "/api/v1/webhooks", token: r.adminA,
                    body: #"{"url": "https://example.com/refused", "events": ["job.*"], "filter": \#(test.filter)}"#)
                #expect(reply.status == 422, "\(test.filter): \(reply)")
                #expect(reply.code == test.code, "\(test.filter): \(reply)")
                let message = reply.object["message"] as? String ?? ""
                #expect(message.hasPrefix("'filter' at \(test.path): "), "\(test.filter): \(reply)")
                #expect(reply.object["data"] is NSNull, "\(reply)")
            }
            #expect(try await r.send(.get, "/api/v1/webhooks", token: r.adminA).items.isEmpty, "nothing was stored")

            // An update is checked the same way, and leaves the webhook as it was.
            let id = try await r.createWebhook(extra: #""filter": {"type": "job.failed"}"#)
            let refused = try await r.send(.patch, "/api/v1/webhooks/\(id)", token: r.adminA, body: #"{"filter": {"data.n": {"$gt": true}}}"#)
            #expect(refused.status == 422, "\(refused)")
            #expect(refused.code == "E_FILTER_INVALID_OPERAND", "\(refused)")
            #expect((refused.object["message"] as? String)?.hasPrefix(#"'filter' at $["data.n"].$gt: "#) == true, "\(refused)")
            #expect(await r.database.webhook(id)?.filter == .object([(key: "type", value: .string("job.failed"))]))
        }
    }

    @Test func bkRepoTakesTheFilterAsAnExtension() async throws {
        try await Registry.run { r in
            let created = try await r.send(
                .post, "/webhook/api/webhook/create", token: r.adminA,
                body: #"{"url": "https://example.com/bk-filter", "triggers": ["NODE_CREATED"], "filter": {"data.size": {"$gt": 1024}}}"#)
            #expect(created.status == 200, "\(created)")
            let expected = try JSONParser.parse(#"{"data.size": {"$gt": 1024}}"#)
            #expect(Self.member(Self.member(try Self.body(created), "data"), "filter") == expected, "\(created)")

            let refused = try await r.send(
                .post, "/webhook/api/webhook/create", token: r.adminA,
                body: #"{"url": "https://example.com/bk-refused", "triggers": ["NODE_CREATED"], "filter": {"size": 1}}"#)
            #expect(refused.status == 422, "\(refused)")
            #expect(refused.code == "E_FILTER_INVALID_PATH", "\(refused)")
            #expect((refused.object["message"] as? String)?.hasPrefix("'filter' at $.size: ") == true, "\(refused)")
            #expect(refused.object["traceId"] as? String == refused.header("X-Request-Id"), "bkrepo's envelope")
        }
    }

    @Test func fastAPIStyleAndTenantQueryTakeTheFilterAsAnExtension() async throws {
        try await Registry.run { r in
            let created = try await r.send(
                .post, "/api/webhooks/", token: r.adminA,
                body: #"{"url": "https://example.com/fa-filter", "events": ["service.started"], "filter": {"data.service": "api"}}"#)
            #expect(created.status == 201, "\(created)")
            #expect((created.object["filter"] as? [String: Any])?["data.service"] as? String == "api", "\(created)")

            let refused = try await r.send(
                .post, "/api/webhooks/", token: r.adminA,
                body: #"{"url": "https://example.com/fa-refused", "events": ["service.started"], "filter": {"data.n": {"$exists": 1}}}"#)
            #expect(refused.status == 422, "\(refused)")
            #expect(refused.code == "E_FILTER_INVALID_OPERAND", "\(refused)")
            #expect((refused.object["detail"] as? String)?.hasPrefix(#"'filter' at $["data.n"].$exists: "#) == true, "\(refused)")

            let tenantQuery = try await r.send(
                .post, "/api/webhooks", token: r.root,
                body: #"{"secret": "s", "tenant_id": \#(Registry.tenantB), "url": "https://example.com/tq-filter", "filter": {"type": "job.failed"}}"#)
            #expect(tenantQuery.status == 201, "\(tenantQuery)")
            #expect((tenantQuery.data["filter"] as? [String: Any])?["type"] as? String == "job.failed", "\(tenantQuery)")
        }
    }
}
