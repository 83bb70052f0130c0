import Foundation
import Logging
import PostgresNIO
import WebhookCore

/// A delivery task as the registry lists it: the task plus its event type and endpoint URL.
public struct TaskRecord: Sendable, Equatable {
    public var id: Int64
    public var eventId: String
    public var eventType: String
    public var webhookId: Int64
    public var tenantId: Int64
    public var url: String
    public var status: TaskStatus
    /// Attempts made so far (the tenant-parameter dialect's `retries`).
    public var attempts: Int
    public var nextTryAt: Date?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, eventId: String, eventType: String, webhookId: Int64, tenantId: Int64, url: String, status: TaskStatus,
        attempts: Int, nextTryAt: Date?, lastStatusCode: Int?, lastError: String?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.eventId = eventId
        self.eventType = eventType
        self.webhookId = webhookId
        self.tenantId = tenantId
        self.url = url
        self.status = status
        self.attempts = attempts
        self.nextTryAt = nextTryAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What an attempt (log) belongs to.
public enum AttemptOwner: Sendable, Equatable {
    /// A delivery task, by id.
    case task(Int64)
    /// Nothing to retry: the attempt is a test send of the registry.
    case testSend
}

/// Which tasks a listing selects; `nil` fields mean "any".
public struct TaskFilter: Sendable, Equatable {
    /// The caller's tenant scope: `nil` for a tenant-less operator.
    public var scope: Int64?
    public var tenantId: Int64?
    public var webhookId: Int64?
    public var status: TaskStatus?

    public init(scope: Int64?, tenantId: Int64? = nil, webhookId: Int64? = nil, status: TaskStatus? = nil) {
        self.scope = scope
        self.tenantId = tenantId
        self.webhookId = webhookId
        self.status = status
    }
}

/// The registry's view of delivery tasks: listing and manual rescheduling. Every call takes the
/// caller's tenant scope through the task's webhook.
public struct TaskStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        t.id, t.event_id, e.type, t.webhook_id, w.tenant_id, w.url, t.status, t.attempts, t.next_try_at,
        t.last_status_code, t.last_error, t.created_at, t.updated_at
        """

    /// A page of tasks, newest first, and the total count.
    public func list(_ filter: TaskFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [TaskRecord], total: Int) {
        try await client.listPage(
            columns: Self.columns, order: "ORDER BY t.id DESC", page: page, pageSize: pageSize, logger: logger,
            selection: { what, tail in Self.selection(filter, head: "SELECT \(what)", tail: tail) }, decode: Self.decode)
    }

    static func selection(_ f: TaskFilter, head: String, tail: String) -> PostgresQuery {
        """
        \(unescaped: head)
        FROM delivery_tasks t JOIN webhooks w ON w.id = t.webhook_id JOIN events e ON e.tenant_scope = t.event_scope AND e.id = t.event_id
        WHERE (\(f.scope)::bigint IS NULL OR w.tenant_id = \(f.scope))
          AND (\(f.tenantId)::bigint IS NULL OR w.tenant_id = \(f.tenantId))
          AND (\(f.webhookId)::bigint IS NULL OR t.webhook_id = \(f.webhookId))
          AND (\(f.status?.rawValue)::text IS NULL OR t.status = \(f.status?.rawValue))
        \(unescaped: tail)
        """
    }

    /// Task `id` within the scope, if visible.
    public func get(id: Int64, scope: Int64?) async throws(StorageError) -> TaskRecord? {
        try await storage {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns)
                FROM delivery_tasks t JOIN webhooks w ON w.id = t.webhook_id JOIN events e ON e.tenant_scope = t.event_scope AND e.id = t.event_id
                WHERE t.id = \(id) AND (\(scope)::bigint IS NULL OR w.tenant_id = \(scope))
                """, logger: logger)
            for try await row in rows { return try Self.decode(row) }
            return nil
        }
    }

    /// Sets task `id` to `retry`, due now; returns the task, or `nil` when it is not visible.
    public func scheduleRetry(id: Int64, scope: Int64?) async throws(StorageError) -> TaskRecord? {
        let updated: Bool = try await storage {
            let rows = try await client.query(
                """
                UPDATE delivery_tasks t SET status = 'retry', next_try_at = now(), job_id = NULL, updated_at = now()
                FROM webhooks w
                WHERE t.id = \(id) AND w.id = t.webhook_id AND (\(scope)::bigint IS NULL OR w.tenant_id = \(scope))
                RETURNING t.id
                """, logger: logger)
            for try await _ in rows.decode(Int64.self) { return true }
            return false
        }
        return updated ? try await get(id: id, scope: scope) : nil
    }

    /// What attempt (log) `attemptId` belongs to, within the scope; `nil` when it is not visible.
    public func owner(ofAttempt attemptId: Int64, scope: Int64?) async throws(StorageError) -> AttemptOwner? {
        try await storage {
            let rows = try await client.query(
                """
                SELECT a.task_id, a.is_test FROM delivery_attempts a JOIN webhooks w ON w.id = a.webhook_id
                WHERE a.id = \(attemptId) AND (\(scope)::bigint IS NULL OR w.tenant_id = \(scope))
                """, logger: logger)
            for try await (taskID, isTest) in rows.decode((Int64?, Bool).self) {
                if let taskID, !isTest { return .task(taskID) }
                return .testSend
            }
            return nil
        }
    }

    /// Sets up to `limit` failed tasks created in `[since, until)` (optionally of one webhook) to
    /// `retry`, due now, and returns their ids, oldest first.
    public func recoverFailed(scope: Int64?, since: Date, until: Date?, webhookId: Int64?, limit: Int) async throws(StorageError) -> [Int64] {
        try await storage {
            let rows = try await client.query(
                """
                UPDATE delivery_tasks SET status = 'retry', next_try_at = now(), job_id = NULL, updated_at = now()
                WHERE id IN (
                    SELECT t.id FROM delivery_tasks t JOIN webhooks w ON w.id = t.webhook_id
                    WHERE t.status = 'failed' AND t.created_at >= \(since)
                      AND (\(until)::timestamptz IS NULL OR t.created_at < \(until))
                      AND (\(webhookId)::bigint IS NULL OR t.webhook_id = \(webhookId))
                      AND (\(scope)::bigint IS NULL OR w.tenant_id = \(scope))
                    ORDER BY t.id LIMIT \(limit)
                    FOR UPDATE OF t
                )
                RETURNING id
                """, logger: logger)
            var ids: [Int64] = []
            for try await id in rows.decode(Int64.self) { ids.append(id) }
            return ids.sorted()
        }
    }

    static func decode(_ row: PostgresRow) throws -> TaskRecord {
        let r = row.makeRandomAccess()
        return TaskRecord(
            id: try r[0].decode(Int64.self), eventId: try r[1].decode(String.self), eventType: try r[2].decode(String.self),
            webhookId: try r[3].decode(Int64.self), tenantId: try r[4].decode(Int64.self), url: try r[5].decode(String.self),
            status: TaskStatus(rawValue: try r[6].decode(String.self)) ?? .pending, attempts: try r[7].decode(Int.self),
            nextTryAt: try r[8].decode(Date?.self), lastStatusCode: try r[9].decode(Int?.self), lastError: try r[10].decode(String?.self),
            createdAt: try r[11].decode(Date.self), updatedAt: try r[12].decode(Date.self))
    }
}

extension TaskStore: TaskRepository {}
