import Foundation
import HTTPTypes
import ServiceKit
import Storage
import Testing

/// Portal links (`/api/v1/portal-sessions`) over in-memory stores: who may create, list and revoke
/// them, and what their tokens may do.
@Suite struct PortalSessionHandlerTests {
    @Test func createUseAndRevoke() async throws {
        try await Registry.run { r in
            let hook = try await r.createWebhook()
            let created = try await r.send(
                .post, "/api/v1/portal-sessions", token: r.root, body: #"{"tenant_id": \#(Registry.tenantA), "role": "viewer"}"#)
            #expect(created.status == 201, "\(created)")
            let token = try #require(created.data["token"] as? String)
            let id = try #require(created.data["id"] as? String)
            #expect(created.data["tenant_id"] as? Int == Int(Registry.tenantA))
            #expect(created.data["role"] as? String == "viewer")
            #expect(created.data["url"] as? String == "/console/#token=\(token)")
            let expires = try #require((created.data["expires_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(expires.timeIntervalSinceNow - 3600) < 60)

            // The link acts for its tenant with its role.
            let own = try await r.send(.get, "/api/v1/webhooks/\(hook)", token: token)
            #expect(own.status == 200, "\(own)")
            let write = try await r.send(.post, "/api/v1/webhooks/\(hook)/disable", token: token)
            #expect(write.status == 403)

            let revoked = try await r.send(.delete, "/api/v1/portal-sessions/\(id)", token: r.adminA)
            #expect(revoked.status == 204, "\(revoked)")
            let after = try await r.send(.get, "/api/v1/webhooks/\(hook)", token: token)
            #expect(after.status == 401, "\(after)")
            #expect(after.code == "E_UNAUTHORIZED")
            // Revoking again changes nothing.
            let again = try await r.send(.delete, "/api/v1/portal-sessions/\(id)", token: r.adminA)
            #expect(again.status == 204)
            let listed = try await r.send(.get, "/api/v1/portal-sessions", token: r.adminA)
            #expect(listed.items.first?["active"] as? Bool == false)
            #expect(listed.items.first?["revoked_at"] is String)
        }
    }

    @Test func tenantAdminGetsItsOwnTenant() async throws {
        try await Registry.run { r in
            let created = try await r.send(.post, "/api/v1/portal-sessions", token: r.adminA, body: "{}")
            #expect(created.status == 201, "\(created)")
            #expect(created.data["tenant_id"] as? Int == Int(Registry.tenantA))
            #expect(created.data["role"] as? String == "admin")
            let foreign = try await r.send(
                .post, "/api/v1/portal-sessions", token: r.adminA, body: #"{"tenant_id": \#(Registry.tenantB)}"#)
            #expect(foreign.status == 403)
            #expect(foreign.code == "E_FORBIDDEN")

            // Tenants never see each other's sessions.
            _ = try await r.send(.post, "/api/v1/portal-sessions", token: r.adminB, body: "{}")
            let listA = try await r.send(.get, "/api/v1/portal-sessions", token: r.adminA)
            #expect(listA.status == 200, "\(listA)")
            #expect(listA.items.count == 1)
            #expect(listA.items.allSatisfy { $0["tenant_id"] as? Int == Int(Registry.tenantA) && $0["token"] == nil })
            let listRoot = try await r.send(.get, "/api/v1/portal-sessions", token: r.root)
            #expect(listRoot.items.count == 2)
            let listRootB = try await r.send(.get, "/api/v1/portal-sessions?tenant_id=\(Registry.tenantB)", token: r.root)
            #expect(listRootB.items.count == 1)
            let idA = try #require(listA.items.first?["id"] as? String)
            let byB = try await r.send(.delete, "/api/v1/portal-sessions/\(idA)", token: r.adminB)
            #expect(byB.status == 404)
            #expect(byB.code == "E_NOT_FOUND")
            let bad = try await r.send(.delete, "/api/v1/portal-sessions/not-a-uuid", token: r.adminA)
            #expect(bad.status == 404)
        }
    }

    @Test func refusedInput() async throws {
        try await Registry.run { r in
            for (token, body, status) in [
                (r.root, "{}", 400),
                (r.root, #"{"tenant_id": 0}"#, 400),
                (r.adminA, #"{"ttl_seconds": 0}"#, 400),
                (r.adminA, #"{"ttl_seconds": 86401}"#, 400),
                (r.adminA, #"{"role": "publisher"}"#, 400),
                (r.viewerA, "{}", 403),
                (r.publisherA, "{}", 403),
            ] {
                let reply = try await r.send(.post, "/api/v1/portal-sessions", token: token, body: body)
                #expect(reply.status == status, "\(body): \(reply)")
            }
            let invalid = try await r.send(.post, "/api/v1/portal-sessions", token: r.adminA, body: #"{"ttl_seconds": 0}"#)
            #expect(invalid.code == "E_INVALID_VALUE")
            let viewerList = try await r.send(.get, "/api/v1/portal-sessions", token: r.viewerA)
            #expect(viewerList.status == 403)
            let anonymous = try await r.send(.get, "/api/v1/portal-sessions")
            #expect(anonymous.status == 401)
            let max = try await r.send(.post, "/api/v1/portal-sessions", token: r.adminA, body: #"{"ttl_seconds": 86400}"#)
            #expect(max.status == 201)
        }
    }

    @Test func portalTokenMayNotManageAccessOrLinks() async throws {
        try await Registry.run { r in
            let created = try await r.send(.post, "/api/v1/portal-sessions", token: r.adminA, body: "{}")
            let token = try #require(created.data["token"] as? String)
            let id = try #require(created.data["id"] as? String)
            for (method, path, body) in [
                (HTTPRequest.Method.post, "/api/v1/portal-sessions", "{}"),
                (.get, "/api/v1/portal-sessions", nil),
                (.delete, "/api/v1/portal-sessions/\(id)", nil),
                (.get, "/api/v1/users", nil),
                (.post, "/api/v1/users", #"{"username": "someone", "password": "long-enough-1", "role": "viewer"}"#),
                (.post, "/api/v1/tokens", #"{"subject": "ci"}"#),
            ] as [(HTTPRequest.Method, String, String?)] {
                let reply = try await r.send(method, path, token: token, body: body)
                #expect(reply.status == 403, "\(path): \(reply)")
                #expect(reply.code == "E_FORBIDDEN")
            }
            // An admin link may still manage webhooks of its tenant.
            let hook = try await r.send(
                .post, "/api/v1/webhooks", token: token, body: #"{"name": "hook", "url": "https://example.com/portal", "events": ["job.failed"]}"#)
            #expect(hook.status == 201, "\(hook)")
        }
    }

    @Test func expiredOrUnknownSessionIsRefused() async throws {
        try await Registry.run { r in
            let now = Date()
            let expired = PortalSessionRecord(
                id: UUID(), tenantId: Registry.tenantA, role: "admin", createdBy: "root", createdAt: now.addingTimeInterval(-120),
                expiresAt: now.addingTimeInterval(-60), revokedAt: nil)
            try await r.database.portalSessions.create(expired)
            for session in [expired.id, UUID()] {
                // The token itself is still valid: only the session says no.
                let token = try await r.tokens.issue(
                    for: Identity(subject: "portal:x", role: .admin, tenantId: Registry.tenantA, sessionId: session), lifetime: 600)
                let reply = try await r.send(.get, "/api/v1/webhooks", token: token)
                #expect(reply.status == 401, "\(reply)")
                #expect(reply.code == "E_UNAUTHORIZED")
            }
        }
    }
}
