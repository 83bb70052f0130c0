import Foundation

/// A portal session: a short-lived, revocable link that acts for one tenant with one role.
public struct PortalSessionRecord: Sendable, Equatable {
    public var id: UUID
    public var tenantId: Int64
    /// `admin` or `viewer`.
    public var role: String
    /// The subject of the admin who created it.
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(id: UUID, tenantId: Int64, role: String, createdBy: String, createdAt: Date, expiresAt: Date, revokedAt: Date?) {
        self.id = id
        self.tenantId = tenantId
        self.role = role
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Neither revoked nor expired at `now`.
    public func isActive(at now: Date) -> Bool { revokedAt == nil && expiresAt > now }
}

/// Portal sessions. `PortalSessionStore` is the PostgreSQL implementation; tests use an in-memory one.
public protocol PortalSessionRepository: Sendable {
    /// Stores a new session.
    func create(_ session: PortalSessionRecord) async throws(StorageError)

    /// Sessions within `scope` (every tenant for `nil`), newest first, at most `limit`.
    func list(scope: Int64?, limit: Int) async throws(StorageError) -> [PortalSessionRecord]

    /// Revokes session `id` within `scope` (a revoked one stays revoked as it was); returns it, or
    /// `nil` when it is not visible.
    func revoke(id: UUID, scope: Int64?) async throws(StorageError) -> PortalSessionRecord?

    /// Session `id` whatever its tenant (the check of a portal token), if it exists.
    func find(id: UUID) async throws(StorageError) -> PortalSessionRecord?
}
