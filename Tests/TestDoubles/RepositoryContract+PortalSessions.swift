import Foundation
import Storage

extension RepositoryContract {
    /// Portal sessions: create and find back, tenant-scoped listings newest first within a limit,
    /// revocation within the scope only (a second one keeps the first time).
    /// - Parameters:
    ///   - sessions: the implementation.
    ///   - tenant: a tenant with no sessions yet; `tenant + 1` must have none either.
    public static func portalSessions(_ sessions: any PortalSessionRepository, tenant: Int64) async throws -> [String] {
        var problems: [String] = []
        func expect(_ condition: Bool, _ problem: String) { if !condition { problems.append(problem) } }
        // Whole seconds: PostgreSQL keeps microseconds, a `Date` more.
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970).rounded(.down))
        func make(_ tenant: Int64, _ offset: Double) -> PortalSessionRecord {
            PortalSessionRecord(
                id: UUID(), tenantId: tenant, role: "viewer", createdBy: "contract", createdAt: now.addingTimeInterval(offset),
                expiresAt: now.addingTimeInterval(3600), revokedAt: nil)
        }
        let first = make(tenant, -2), second = make(tenant, -1), foreign = make(tenant + 1, 0)
        for session in [first, second, foreign] { try await sessions.create(session) }
        expect(try await sessions.find(id: first.id) == first, "find answers what was stored")
        expect(try await sessions.find(id: UUID()) == nil, "an unknown id is not found")
        expect(try await sessions.list(scope: tenant, limit: 10).map(\.id) == [second.id, first.id], "a tenant's listing: its own, newest first")
        expect(try await sessions.list(scope: tenant, limit: 1).map(\.id) == [second.id], "a listing stops at its limit")
        expect(try await sessions.list(scope: nil, limit: 500).contains { $0.id == foreign.id }, "the operator's listing holds every tenant's")
        expect(try await sessions.revoke(id: first.id, scope: tenant + 1) == nil, "another tenant cannot revoke a session")
        expect(try await sessions.find(id: first.id)?.revokedAt == nil, "a refused revocation changed the session")
        let revoked = try await sessions.revoke(id: first.id, scope: tenant)
        expect(revoked?.revokedAt != nil && revoked?.id == first.id, "a revocation answers the revoked session")
        let again = try await sessions.revoke(id: first.id, scope: nil)
        expect(again?.revokedAt == revoked?.revokedAt, "a second revocation keeps the first time")
        expect(try await sessions.find(id: first.id)?.isActive(at: Date()) == false, "a revoked session is not active")
        expect(try await sessions.find(id: second.id)?.isActive(at: Date()) == true, "another session stays active")
        return problems
    }
}
