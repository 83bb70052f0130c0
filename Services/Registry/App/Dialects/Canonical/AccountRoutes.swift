import Foundation
import Hummingbird
import ServiceKit
import Storage

/// Users (`/api/v1/users`) and publisher tokens (`/api/v1/tokens`), for admins.
struct AccountRoutes: Sendable {
    let accounts: AccountService
    let tokens: TokenService

    /// Publisher tokens live at most a year.
    static let maximumTokenLifetime = 365 * 24 * 3600
    /// Default publisher token lifetime: 30 days.
    static let defaultTokenLifetime = 30 * 24 * 3600

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/v1/users") { request, context in try await createUser(request, context) }
        router.get("/api/v1/users") { _, context in try await listUsers(context) }
        router.post("/api/v1/tokens") { request, context in try await issueToken(request, context) }
    }

    struct CreateUserRequest: Decodable {
        var username: String
        var password: String
        var role: Role
        var tenant_id: Int64?
    }

    struct UserView: ExplicitNulls {
        let id: Int64
        let username: String
        let role: String
        let tenant_id: Int64?

        init(_ u: UserRecord) {
            id = u.id
            username = u.username
            role = u.role
            tenant_id = u.tenantId
        }
    }

    func createUser(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        try identity.refusePortal("manage users")
        let body = try await BodyReader.decode(CreateUserRequest.self, from: request, limit: 16 << 10)
        guard (3...64).contains(body.username.count), body.username.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
            throw APIError.badRequest("E_INVALID_VALUE", "'username' must be 3 to 64 letters, digits or . _ - @")
        }
        guard (8...128).contains(body.password.count) else {
            throw APIError.badRequest("E_INVALID_VALUE", "'password' must be 8 to 128 characters")
        }
        let tenant = try tenant(for: identity, requested: body.tenant_id)
        let user = try await accounts.create(username: body.username, password: body.password, role: body.role, tenantId: tenant)
        context.logger.info("user created", metadata: ["user": "\(user.username)", "role": "\(user.role)", "by": "\(identity.subject)"])
        return try JSONResponse.make(Envelope(message: "User created", data: UserView(user)), status: .created)
    }

    func listUsers(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        try identity.refusePortal("manage users")
        let list = try await accounts.list(scope: identity.tenantId)
        return try JSONResponse.make(Envelope(data: ["items": list.map(UserView.init)]))
    }

    struct TokenRequest: Decodable {
        var subject: String
        var tenant_id: Int64?
        var expires_in: Int?
    }

    struct TokenView: ExplicitNulls {
        let access_token: String
        let token_type = "bearer"
        let expires_in: Int
        let role: String
        let subject: String
        let tenant_id: Int64?
    }

    /// Issues a `publisher` token for an upstream system (ingest only).
    func issueToken(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        try identity.refusePortal("issue tokens")
        let body = try await BodyReader.decode(TokenRequest.self, from: request, limit: 16 << 10)
        guard (1...128).contains(body.subject.count) else {
            throw APIError.badRequest("E_INVALID_VALUE", "'subject' must be 1 to 128 characters naming the publishing system")
        }
        let lifetime = body.expires_in ?? Self.defaultTokenLifetime
        guard (60...Self.maximumTokenLifetime).contains(lifetime) else {
            throw APIError.badRequest("E_INVALID_VALUE", "'expires_in' must be between 60 and \(Self.maximumTokenLifetime) seconds")
        }
        let tenant = try self.tenant(for: identity, requested: body.tenant_id)
        let token = try await tokens.issue(for: Identity(subject: body.subject, role: .publisher, tenantId: tenant), lifetime: TimeInterval(lifetime))
        context.logger.info("publisher token issued", metadata: ["subject": "\(body.subject)", "by": "\(identity.subject)"])
        return try JSONResponse.make(
            Envelope(
                message: "Token issued",
                data: TokenView(
                    access_token: token, expires_in: lifetime, role: Role.publisher.rawValue,
                    subject: body.subject, tenant_id: tenant)), status: .created)
    }

    /// A tenant admin acts within its tenant only; a tenant-less admin may name any (or none).
    private func tenant(for identity: Identity, requested: Int64?) throws -> Int64? {
        guard let own = identity.tenantId else { return requested }
        if let requested, requested != own { throw APIError.forbidden("you may only manage accounts of tenant \(own)") }
        return own
    }
}
