import Foundation
import Logging
import ServiceKit
import Storage

/// Portal sessions: short-lived, revocable links that act for one tenant with one role. The link's
/// token is signed like a login token and names its session; `PortalSessionCheck` refuses it once
/// the session is revoked or expired.
struct PortalSessionService: Sendable {
    let sessions: any PortalSessionRepository
    let check: PortalSessionCheck
    let tokens: TokenService
    let logger: Logger

    /// Longest lifetime of a link: a day.
    static let maximumLifetime = 86_400
    /// Default lifetime of a link: an hour.
    static let defaultLifetime = 3600
    /// Most sessions a listing shows.
    static let listLimit = 500

    /// Creates a session for `tenantId` and its token.
    func create(tenantId: Int64, role: Role, lifetime: Int, by identity: Identity, now: Date = Date()) async throws -> (
        PortalSessionRecord, String
    ) {
        let record = PortalSessionRecord(
            id: UUID(), tenantId: tenantId, role: role.rawValue, createdBy: identity.subject, createdAt: now,
            expiresAt: now.addingTimeInterval(TimeInterval(lifetime)), revokedAt: nil)
        try await storeCall { try await sessions.create(record) }
        let token = try await tokens.issue(
            for: Identity(subject: "portal:\(record.id.uuidString.lowercased())", role: role, tenantId: tenantId, sessionId: record.id),
            lifetime: TimeInterval(lifetime), now: now)
        logger.info(
            "portal session created",
            metadata: ["session": "\(record.id)", "tenant_id": "\(tenantId)", "role": "\(role.rawValue)", "by": "\(identity.subject)"])
        return (record, token)
    }

    func list(scope: Int64?) async throws -> [PortalSessionRecord] {
        try await storeCall { try await sessions.list(scope: scope, limit: Self.listLimit) }
    }

    /// Revokes session `id`; 404 `E_NOT_FOUND` when it is not visible to `identity`.
    func revoke(_ id: UUID, by identity: Identity) async throws {
        guard try await storeCall({ try await sessions.revoke(id: id, scope: identity.tenantId) }) != nil else {
            throw Self.notFound(id.uuidString.lowercased())
        }
        check.forget(id)
        logger.info("portal session revoked", metadata: ["session": "\(id)", "by": "\(identity.subject)"])
    }

    static func notFound(_ id: String) -> APIError { .notFound("E_NOT_FOUND", "portal session '\(id)' does not exist") }
}
