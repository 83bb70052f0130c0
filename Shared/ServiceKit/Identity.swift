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

    public init(subject: String, role: Role, tenantId: Int64?) {
        self.subject = subject
        self.role = role
        self.tenantId = tenantId
    }
}
