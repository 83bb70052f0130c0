import Foundation
import Hummingbird

/// Requires a valid `Authorization: Bearer <jwt>` on every request except the listed public paths.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    let tokens: TokenService
    let publicPaths: Set<String>

    /// - Parameters:
    ///   - tokens: verifies the tokens.
    ///   - publicPaths: exact paths served without a token (login, health).
    public init(tokens: TokenService, publicPaths: Set<String>) {
        self.tokens = tokens
        self.publicPaths = publicPaths
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if publicPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("missing 'Authorization: Bearer <token>' header")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer <token>'")
        }
        guard let identity = await tokens.verify(String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            throw APIError.unauthorized("the token is invalid or expired")
        }
        var context = context
        context.identity = identity
        return try await next(request, context)
    }
}
