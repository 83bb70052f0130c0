import Hummingbird

/// The request context of every service: Hummingbird's core storage plus the caller's identity.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` once the bearer token is verified.
    public var identity: Identity?
    /// A random id for this request, answered as seed 003's `traceId`.
    public let traceId: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.traceId = String(UInt64.random(in: 1...UInt64.max), radix: 16)
    }

    /// Request bodies are read by the handlers themselves, with their own limits.
    public var maxUploadSize: Int { 8 << 20 }

    /// The verified identity; throws 401 when the route was reached without one.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthorized() }
        return identity
    }

    /// The identity when its role is one of `roles`; 403 otherwise.
    public func require(_ roles: Role...) throws -> Identity {
        let identity = try requireIdentity()
        guard roles.contains(identity.role) else {
            throw APIError.forbidden("role '\(identity.role.rawValue)' may not do this; needs \(roles.map(\.rawValue).joined(separator: " or "))")
        }
        return identity
    }
}
