import Foundation
import Hummingbird
import ServiceKit
import Storage

/// `POST /api/auth/login`: username and password for a JWT.
struct AuthController: Sendable {
    static let publicPaths: Set<String> = ["/api/auth/login"]

    let users: UserStore
    let tokens: TokenService
    let passwords: PasswordHasher

    struct LoginRequest: Decodable {
        let username: String
        let password: String
    }

    /// The FastAPI-style dialect's clients read `.access_token`; the rest is for convenience.
    struct LoginResponse: Encodable {
        let access_token: String
        let token_type = "bearer"
        let expires_in: Int
        let role: String
        let tenant_id: Int64?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/auth/login") { request, _ in try await login(request) }
    }

    func login(_ request: Request) async throws -> Response {
        let body = try await BodyReader.decode(LoginRequest.self, from: request, limit: 16 << 10)
        guard let user = try await storeCall({ try await users.find(username: body.username) }),
            try await passwords.verify(body.password, hash: user.passwordHash),
            let role = Role(rawValue: user.role)
        else {
            throw APIError(.unauthorized, code: "E_INVALID_CREDENTIALS", message: "wrong username or password")
        }
        let identity = Identity(subject: user.username, role: role, tenantId: user.tenantId)
        let token = try await tokens.issue(for: identity)
        return try JSONResponse.make(LoginResponse(access_token: token, expires_in: Int(tokens.lifetime), role: role.rawValue, tenant_id: user.tenantId))
    }
}
