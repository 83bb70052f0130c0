import Foundation
import Logging
import PostgresNIO

/// Portal sessions in `portal_sessions`.
public struct PortalSessionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = "id, tenant_id, role, created_by, created_at, expires_at, revoked_at"
    typealias Row = (UUID, Int64, String, String, Date, Date, Date?)

    static func record(_ r: Row) -> PortalSessionRecord {
        PortalSessionRecord(id: r.0, tenantId: r.1, role: r.2, createdBy: r.3, createdAt: r.4, expiresAt: r.5, revokedAt: r.6)
    }

    public func create(_ s: PortalSessionRecord) async throws(StorageError) {
        try await storage {
            _ = try await client.query(
                """
                INSERT INTO portal_sessions (id, tenant_id, role, created_by, created_at, expires_at)
                VALUES (\(s.id), \(s.tenantId), \(s.role), \(s.createdBy), \(s.createdAt), \(s.expiresAt))
                """, logger: logger)
        }
    }

    public func list(scope: Int64?, limit: Int) async throws(StorageError) -> [PortalSessionRecord] {
        try await storage {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM portal_sessions
                WHERE (\(scope)::bigint IS NULL OR tenant_id = \(scope)) ORDER BY created_at DESC, id LIMIT \(limit)
                """, logger: logger)
            var sessions: [PortalSessionRecord] = []
            for try await row in rows.decode(Row.self) { sessions.append(Self.record(row)) }
            return sessions
        }
    }

    public func revoke(id: UUID, scope: Int64?) async throws(StorageError) -> PortalSessionRecord? {
        try await storage {
            let rows = try await client.query(
                """
                UPDATE portal_sessions SET revoked_at = COALESCE(revoked_at, now())
                WHERE id = \(id) AND (\(scope)::bigint IS NULL OR tenant_id = \(scope))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            for try await row in rows.decode(Row.self) { return Self.record(row) }
            return nil
        }
    }

    public func find(id: UUID) async throws(StorageError) -> PortalSessionRecord? {
        try await storage {
            let rows = try await client.query(
                "SELECT \(unescaped: Self.columns) FROM portal_sessions WHERE id = \(id)", logger: logger)
            for try await row in rows.decode(Row.self) { return Self.record(row) }
            return nil
        }
    }
}

extension PortalSessionStore: PortalSessionRepository {}
