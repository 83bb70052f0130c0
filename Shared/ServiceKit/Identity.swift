import Foundation

/// A role a token carries.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Manages webhooks of its tenant (every tenant when it has none).
    case admin
    /// Reads only.
    case viewer
    /// Publishes events to ingest, nothing else.
    case publisher
}

/// Who is calling: the verified content of a bearer token.
public struct Identity: Sendable, Equatable {
    /// Login name or client name.
    public var subject: String
    /// What the caller may do.
    public var role: Role
    /// The tenant the caller is confined to; `nil` means every tenant (an operator).
    public var tenantId: Int64?
    /// The portal session a portal link's token acts for (`nil` for every other token): the token
    /// is refused once that session is revoked or expired.
    public var sessionId: UUID?

    public init(subject: String, role: Role, tenantId: Int64?, sessionId: UUID? = nil) {
        self.subject = subject
        self.role = role
        self.tenantId = tenantId
        self.sessionId = sessionId
    }
}
