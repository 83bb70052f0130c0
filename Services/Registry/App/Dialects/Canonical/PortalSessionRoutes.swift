import Foundation
import Hummingbird
import ServiceKit
import Storage
import WebhookCore

/// Portal links (`/api/v1/portal-sessions`): an admin creates a short-lived, revocable link acting
/// for one tenant, lists them (never their tokens) and revokes them. A portal token itself may not
/// manage portal sessions.
struct PortalSessionRoutes: Sendable {
    let portals: PortalSessionService

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/v1/portal-sessions") { request, context in try await create(request, context) }
        router.get("/api/v1/portal-sessions") { request, context in try await list(request, context) }
        router.delete("/api/v1/portal-sessions/{session_id}") { _, context in try await revoke(context) }
    }

    struct CreateRequest: Decodable {
        var tenant_id: Int64?
        var ttl_seconds: Int?
        var role: String?
    }

    struct SessionView: ExplicitNulls {
        let id: String
        let tenant_id: Int64
        let role: String
        let created_by: String
        let created_at: String
        let expires_at: String
        let revoked_at: String?
        let active: Bool

        init(_ s: PortalSessionRecord, now: Date = Date()) {
            id = s.id.uuidString.lowercased()
            tenant_id = s.tenantId
            role = s.role
            created_by = s.createdBy
            created_at = Timestamp.format(s.createdAt)
            expires_at = Timestamp.format(s.expiresAt)
            revoked_at = s.revokedAt.map(Timestamp.format)
            active = s.isActive(at: now)
        }
    }

    struct CreatedView: ExplicitNulls {
        let id: String
        let tenant_id: Int64
        let role: String
        let created_by: String
        let created_at: String
        let expires_at: String
        let token: String
        let url: String
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try Self.manager(context)
        let body = try await BodyReader.decode(CreateRequest.self, from: request, limit: 16 << 10)
        let tenant: Int64
        if let own = identity.tenantId {
            if let requested = body.tenant_id, requested != own {
                throw APIError.forbidden("you may only create portal links for tenant \(own)")
            }
            tenant = own
        } else {
            guard let requested = body.tenant_id, requested > 0 else {
                throw APIError.badRequest("E_INVALID_VALUE", "'tenant_id' (a positive integer) is required: a portal link acts for one tenant")
            }
            tenant = requested
        }
        let lifetime = body.ttl_seconds ?? PortalSessionService.defaultLifetime
        guard (1...PortalSessionService.maximumLifetime).contains(lifetime) else {
            throw APIError.badRequest("E_INVALID_VALUE", "'ttl_seconds' must be between 1 and \(PortalSessionService.maximumLifetime)")
        }
        let role: Role
        switch body.role ?? "admin" {
        case "admin": role = .admin
        case "viewer": role = .viewer
        default: throw APIError.badRequest("E_INVALID_VALUE", "'role' must be admin or viewer")
        }
        let (session, token) = try await portals.create(tenantId: tenant, role: role, lifetime: lifetime, by: identity)
        let view = SessionView(session)
        return try JSONResponse.make(
            Envelope(
                message: "Portal session created",
                data: CreatedView(
                    id: view.id, tenant_id: view.tenant_id, role: view.role, created_by: view.created_by, created_at: view.created_at,
                    expires_at: view.expires_at, token: token, url: "/console/#token=\(token)")),
            status: .created)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try Self.manager(context)
        var scope = identity.tenantId
        if scope == nil { scope = try RequestParsing.id(request, "tenant_id") }
        let now = Date()
        let items = try await portals.list(scope: scope).map { SessionView($0, now: now) }
        return try JSONResponse.make(Envelope(data: ["items": items]))
    }

    func revoke(_ context: AppRequestContext) async throws -> Response {
        let identity = try Self.manager(context)
        let text = context.parameters.get("session_id") ?? ""
        guard let id = UUID(uuidString: text) else { throw PortalSessionService.notFound(text) }
        try await portals.revoke(id, by: identity)
        return Response(status: .noContent)
    }

    /// An admin, not acting through a portal link; 403 otherwise.
    static func manager(_ context: AppRequestContext) throws -> Identity {
        let identity = try context.require(.admin)
        try identity.refusePortal("manage portal links")
        return identity
    }
}

extension Identity {
    /// 403 `E_FORBIDDEN` when this identity acts through a portal link, which may not `what`.
    func refusePortal(_ what: String) throws {
        if sessionId != nil { throw APIError.forbidden("a portal link may not \(what)") }
    }
}
