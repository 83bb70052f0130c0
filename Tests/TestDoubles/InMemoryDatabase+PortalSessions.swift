import Foundation
import Storage

extension InMemoryDatabase {
    func createPortalSession(_ session: PortalSessionRecord) throws(StorageError) {
        try check()
        portalRows[session.id] = session
    }

    func listPortalSessions(scope: Int64?, limit: Int) throws(StorageError) -> [PortalSessionRecord] {
        try check()
        let rows = portalRows.values.filter { Self.visible($0.tenantId, to: scope) }
            .sorted { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id.uuidString < $1.id.uuidString }
        return Array(rows.prefix(limit))
    }

    func revokePortalSession(id: UUID, scope: Int64?) throws(StorageError) -> PortalSessionRecord? {
        try check()
        guard var session = portalRows[id], Self.visible(session.tenantId, to: scope) else { return nil }
        if session.revokedAt == nil { session.revokedAt = Date() }
        portalRows[id] = session
        return session
    }

    func findPortalSession(id: UUID) throws(StorageError) -> PortalSessionRecord? {
        try check()
        return portalRows[id]
    }
}

/// `PortalSessionRepository` over an `InMemoryDatabase`.
public struct InMemoryPortalSessionRepository: PortalSessionRepository {
    let database: InMemoryDatabase

    public func create(_ session: PortalSessionRecord) async throws(StorageError) { try await database.createPortalSession(session) }
    public func list(scope: Int64?, limit: Int) async throws(StorageError) -> [PortalSessionRecord] {
        try await database.listPortalSessions(scope: scope, limit: limit)
    }
    public func revoke(id: UUID, scope: Int64?) async throws(StorageError) -> PortalSessionRecord? {
        try await database.revokePortalSession(id: id, scope: scope)
    }
    public func find(id: UUID) async throws(StorageError) -> PortalSessionRecord? { try await database.findPortalSession(id: id) }
}
