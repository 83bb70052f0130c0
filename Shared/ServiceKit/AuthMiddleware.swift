import Foundation
import Hummingbird

/// Whether the session a token names is still active (neither revoked nor expired).
public protocol SessionCheck: Sendable {
    /// - Throws: an `APIError` when it cannot tell (the store is unavailable).
    func isActive(_ sessionId: UUID) async throws -> Bool
}

/// Requires a valid `Authorization: Bearer <jwt>` on every request except the listed public paths.
/// A token naming a session (a portal link) is accepted only while `sessions` says it is active;
/// without `sessions` such a token is refused.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    let tokens: TokenService
    let publicPaths: Set<String>
    let publicPrefixes: [String]
    let sessions: (any SessionCheck)?

    /// - Parameters:
    ///   - tokens: verifies the tokens.
    ///   - publicPaths: exact paths served without a token (login, health).
    ///   - publicPrefixes: paths starting with one of these are served without a token too (static files).
    ///   - sessions: checks the session of a token that names one.
    public init(tokens: TokenService, publicPaths: Set<String>, publicPrefixes: [String] = [], sessions: (any SessionCheck)? = nil) {
        self.tokens = tokens
        self.publicPaths = publicPaths
        self.publicPrefixes = publicPrefixes
        self.sessions = sessions
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if publicPaths.contains(path) || publicPrefixes.contains(where: { path.hasPrefix($0) }) {
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
        if let session = identity.sessionId {
            guard let sessions, try await sessions.isActive(session) else {
                throw APIError.unauthorized("the portal link was revoked or has expired")
            }
        }
        var context = context
        context.identity = identity
        return try await next(request, context)
    }
}
