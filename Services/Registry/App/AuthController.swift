import Foundation
import Hummingbird
import ServiceKit

/// `POST /api/auth/login`: username and password for a JWT.
struct AuthController: Sendable {
    static let publicPaths: Set<String> = ["/api/auth/login"]

    let accounts: AccountService
    let tokens: TokenService

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
        guard let identity = try await accounts.authenticate(username: body.username, password: body.password) else {
            throw APIError(.unauthorized, code: "E_INVALID_CREDENTIALS", message: "wrong username or password")
        }
        let token = try await tokens.issue(for: identity)
        return try JSONResponse.make(
            LoginResponse(
                access_token: token, expires_in: Int(tokens.lifetime), role: identity.role.rawValue,
                tenant_id: identity.tenantId))
    }
}
