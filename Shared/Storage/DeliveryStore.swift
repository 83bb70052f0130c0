import Foundation
import Logging
import PostgresNIO
import WebhookCore

/// Events, delivery tasks and attempts in PostgreSQL.
public struct DeliveryStore: Sendable {
    let client: PostgresClient
    /// Where the batch statements run prepared (see `BatchStatement`); `nil`: unprepared on `client`.
    let batchClient: PostgresClient?
    let logger: Logger

    public init(client: PostgresClient, batchClient: PostgresClient? = nil, logger: Logger) {
        self.client = client
        self.batchClient = batchClient
        self.logger = logger
    }

    /// Runs a batch statement: prepared on `batchClient` when there is one, else unprepared on `client`.
    ///
    /// A statement the server refused on a batch connection runs once more unprepared on `client`:
    /// PostgresNIO keeps a failed preparation failed for the life of its connection, and the batch
    /// connections, never idle, are not replaced (a preparation that met a lock timeout during a
    /// migration would otherwise fail every later batch on that connection). The failed statement
    /// was rolled back as a whole, so running it again is safe.
    func run<Statement: BatchStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        guard let batchClient else { return try await client.run(statement, logger: logger) }
        do {
            var decoded: [Statement.Row] = []
            for try await row in try await batchClient.execute(statement, logger: logger) { decoded.append(row) }
            return decoded
        } catch let error as PSQLError where error.serverInfo != nil {
            logger.warning(
                "prepared batch statement refused; running it unprepared",
                metadata: ["statement": "\(Statement.self)", "error": "\(StorageError.from(error))"])
            return try await client.run(statement, logger: logger)
        }
    }

    /// Longest a delivery-side database operation may take before its caller gives up on it.
    public static let deadline: Duration = .seconds(20)

    static let taskColumns = "id, event_id, webhook_id, status, attempts, next_try_at, created_at, schedule_version, event_scope"

    /// `taskColumns` qualified with the alias `t`.
    static let qualifiedTaskColumns = taskColumns.split(separator: ",")
        .map { "t." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")

    static func decodeTask(_ r: PostgresRandomAccessRow, from start: Int = 0) throws -> DeliveryTask {
        DeliveryTask(
            id: try r[start].decode(Int64.self), eventId: try r[start + 1].decode(String.self),
            eventScope: try r[start + 8].decode(Int64.self), webhookId: try r[start + 2].decode(Int64.self),
            status: TaskStatus(rawValue: try r[start + 3].decode(String.self)) ?? .pending, attempts: try r[start + 4].decode(Int.self),
            nextTryAt: try r[start + 5].decode(Date?.self), createdAt: try r[start + 6].decode(Date.self),
            scheduleVersion: try r[start + 7].decode(Int.self))
    }

    /// A task with its event (as stored, byte for byte), for the send stage; `nil` when the task no
    /// longer exists. The event is `nil` when it is no longer stored (retention deleted it while a
    /// replay job scheduled a task for it: nothing refers from a task to its event by key).
    public func loadTask(id: Int64) async throws(StorageError) -> (task: DeliveryTask, event: Event?)? {
        try await storage(deadline: Self.deadline) {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.qualifiedTaskColumns), e.payload
                FROM delivery_tasks t LEFT JOIN events e ON e.tenant_scope = t.event_scope AND e.id = t.event_id WHERE t.id = \(id)
                """, logger: logger)
            for try await row in rows {
                let r = row.makeRandomAccess()
                let task = try Self.decodeTask(r)
                guard let payload = try r[9].decode(String?.self) else { return (task, nil) }
                let event = try EventMessage.decode(Array(payload.utf8))
                return (task, event)
            }
            return nil
        }
    }

    /// Marks a task cancelled (its webhook was deleted or disabled).
    public func cancelTask(id: Int64, reason: String) async throws(StorageError) {
        _ = try await storage(deadline: Self.deadline) {
            try await client.query(
                """
                UPDATE delivery_tasks SET status = 'cancelled', last_error = \(reason), next_try_at = NULL, updated_at = now()
                WHERE id = \(id) AND status IN ('pending', 'retry')
                """, logger: logger)
        }
    }

    /// Claims stored tasks that a redelivered event is about to resume (pending, never attempted,
    /// their schedule version unchanged since they were read): each gets a new schedule version in
    /// one statement, so the hand-off message an earlier try may have published for it is dropped as
    /// superseded, and a task another replica claimed or attempted meanwhile is not returned.
    /// - Returns: the claimed tasks' ids with their new schedule versions.
    public func claimForResume(_ tasks: [DeliveryTask]) async throws(StorageError) -> [Int64: Int] {
        guard !tasks.isEmpty else { return [:] }
        return try await storage(deadline: Self.deadline) {
            let ids = tasks.map(\.id), versions = tasks.map(\.scheduleVersion)
            let rows = try await client.query(
                """
                UPDATE delivery_tasks t SET schedule_version = t.schedule_version + 1, updated_at = now()
                FROM unnest(\(ids)::bigint[], \(versions)::bigint[]) AS x(id, version)
                WHERE t.id = x.id AND t.id = ANY(\(ids)::bigint[]) AND t.schedule_version = x.version
                  AND t.status = 'pending' AND t.attempts = 0
                RETURNING t.id, t.schedule_version
                """, logger: logger)
            var claimed: [Int64: Int] = [:]
            for try await (id, version) in rows.decode((Int64, Int).self) { claimed[id] = version }
            return claimed
        }
    }

    /// Claims tasks whose retry is overdue by more than `grace` (their message was lost, e.g. the
    /// process stopped between committing the attempt and publishing the retry), and pending tasks
    /// older than `stuckAfter`. Each claimed task gets a new schedule version, so an old message that
    /// still turns up is dropped; the caller publishes one message per returned task.
    public func claimOverdue(grace: Duration, stuckAfter: Duration, limit: Int) async throws(StorageError) -> [TaskMessage] {
        try await storage(deadline: Self.deadline) {
            let graceSeconds = Double(grace.components.seconds)
            let stuckSeconds = Double(stuckAfter.components.seconds)
            let rows = try await client.query(
                """
                UPDATE delivery_tasks SET schedule_version = schedule_version + 1, updated_at = now()
                WHERE id IN (
                    SELECT id FROM delivery_tasks
                    WHERE (status = 'retry' AND next_try_at < now() - make_interval(secs => \(graceSeconds)))
                       OR (status = 'pending' AND updated_at < now() - make_interval(secs => \(stuckSeconds)))
                    ORDER BY next_try_at NULLS FIRST LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, schedule_version
                """, logger: logger)
            var claimed: [TaskMessage] = []
            for try await (id, version) in rows.decode((Int64, Int).self) { claimed.append(TaskMessage(taskID: id, version: version)) }
            return claimed
        }
    }
}
