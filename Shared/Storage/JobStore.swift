import Foundation
import Logging
import PostgresNIO
import WebhookCore

/// Replay and recovery jobs in PostgreSQL (`delivery_jobs`): the API's side here, the batches that
/// run them in `JobStore+Batch.swift`.
public struct JobStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        id, kind, tenant_id, webhook_id, event_types, since, until, only_missing, idempotency_key, created_by, status, total,
        scanned, scheduled, skipped, error, created_at, started_at, finished_at, updated_at
        """

    public func create(_ request: JobRequest) async throws(StorageError) -> (job: DeliveryJob, created: Bool) {
        try await storage {
            let inserted = try await client.query(
                """
                INSERT INTO delivery_jobs (kind, tenant_id, webhook_id, event_types, since, until, only_missing, idempotency_key, created_by)
                VALUES (\(request.kind.rawValue), \(request.tenantId), \(request.webhookId), \(request.eventTypes), \(request.since),
                        \(request.until), \(request.onlyMissing), \(request.idempotencyKey), \(request.createdBy))
                ON CONFLICT (coalesce(tenant_id, -1), idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            for try await row in inserted { return (try Self.decode(row), true) }
            // The key was used before: the first job with it.
            if let key = request.idempotencyKey, let first = try await find(idempotencyKey: key, tenantId: request.tenantId) {
                return (first, false)
            }
            throw StorageError.failed("the job with this idempotency key disappeared while it was read")
        }
    }

    public func find(idempotencyKey: String, tenantId: Int64?) async throws(StorageError) -> DeliveryJob? {
        try await storage {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM delivery_jobs
                WHERE coalesce(tenant_id, -1) = coalesce(\(tenantId)::bigint, -1) AND idempotency_key = \(idempotencyKey)
                """, logger: logger)
            for try await row in rows { return try Self.decode(row) }
            return nil
        }
    }

    public func get(id: Int64, scope: Int64?) async throws(StorageError) -> DeliveryJob? {
        try await storage {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM delivery_jobs
                WHERE id = \(id) AND (\(scope)::bigint IS NULL OR tenant_id = \(scope))
                """, logger: logger)
            for try await row in rows { return try Self.decode(row) }
            return nil
        }
    }

    public func list(scope: Int64?, status: JobStatus?, page: Int, pageSize: Int) async throws(StorageError) -> (items: [DeliveryJob], total: Int) {
        try await client.listPage(
            columns: Self.columns, order: "ORDER BY id DESC", page: page, pageSize: pageSize, logger: logger,
            selection: { what, tail in
                """
                SELECT \(unescaped: what) FROM delivery_jobs
                WHERE (\(scope)::bigint IS NULL OR tenant_id = \(scope)) AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
                \(unescaped: tail)
                """
            }, decode: Self.decode)
    }

    public func cancel(id: Int64, scope: Int64?) async throws(StorageError) -> DeliveryJob? {
        try await storage {
            _ = try await client.query(
                """
                UPDATE delivery_jobs SET status = 'cancelled', finished_at = now(), updated_at = now()
                WHERE id = \(id) AND (\(scope)::bigint IS NULL OR tenant_id = \(scope)) AND status IN ('queued', 'running')
                """, logger: logger)
        }
        return try await get(id: id, scope: scope)
    }

    public func activeCount(tenantId: Int64?) async throws(StorageError) -> Int {
        try await storage {
            let rows = try await client.query(
                """
                SELECT count(*) FROM delivery_jobs
                WHERE coalesce(tenant_id, -1) = coalesce(\(tenantId)::bigint, -1) AND status IN ('queued', 'running')
                """, logger: logger)
            for try await n in rows.decode(Int.self) { return n }
            return 0
        }
    }

    static func decode(_ row: PostgresRow) throws -> DeliveryJob {
        let r = row.makeRandomAccess()
        let request = JobRequest(
            kind: JobKind(rawValue: try r[1].decode(String.self)) ?? .replay, tenantId: try r[2].decode(Int64?.self),
            webhookId: try r[3].decode(Int64?.self), eventTypes: try r[4].decode([String]?.self), since: try r[5].decode(Date.self),
            until: try r[6].decode(Date.self), onlyMissing: try r[7].decode(Bool.self), idempotencyKey: try r[8].decode(String?.self),
            createdBy: try r[9].decode(String.self))
        return DeliveryJob(
            id: try r[0].decode(Int64.self), request: request, status: JobStatus(rawValue: try r[10].decode(String.self)) ?? .failed,
            total: try r[11].decode(Int64?.self), scanned: try r[12].decode(Int64.self), scheduled: try r[13].decode(Int64.self),
            skipped: try r[14].decode(Int64.self), error: try r[15].decode(String?.self), createdAt: try r[16].decode(Date.self),
            startedAt: try r[17].decode(Date?.self), finishedAt: try r[18].decode(Date?.self), updatedAt: try r[19].decode(Date.self))
    }
}

extension JobStore: JobRepository {}
