import Hummingbird

/// The request context of every service: Hummingbird's core storage plus the caller's identity.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` once the bearer token is verified.
    public var identity: Identity?
    /// This request's id: the `hb.request.id` Hummingbird puts on every log line of the request (a
    /// random one where it is missing). Answered in the `X-Request-Id` header and in the body of
    /// internal errors (and wherever an API dialect's envelope wants it), so a client's report leads to
    /// the log lines.
    public let requestId: String

    public init(source: ApplicationRequestContextSource) {
        self.identity = nil
        if let id = source.logger[metadataKey: "hb.request.id"] {
            self.requestId = "\(id)"
            self.coreContext = .init(source: source)
        } else {
            self.requestId = String(UInt64.random(in: 1...UInt64.max), radix: 16)
            var logger = source.logger
            logger[metadataKey: "hb.request.id"] = .string(requestId)
            self.coreContext = .init(source: ApplicationRequestContextSource(channel: source.channel, logger: logger))
        }
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
