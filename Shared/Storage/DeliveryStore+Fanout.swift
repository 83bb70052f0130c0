import Foundation
import PostgresNIO
import WebhookCore

extension DeliveryStore {
    /// Writes what the fan-out stage did for a batch of events, in one statement (one commit): the
    /// events, their tasks in their state after the first attempts (handed-off ones pending), and
    /// those attempts; folds the attempts into their endpoints' health, then switches off the
    /// endpoints that keep failing (as `recordAttempts` does).
    ///
    /// An event already stored is not written again, nor is a task (unique per event and webhook):
    /// when a concurrent writer stored them first, their attempts here are not recorded either (the
    /// requests were sent: at least once). Nothing is read per row: the webhooks are the caller's.
    /// - Returns: per record, in order, the tasks this statement inserted.
    public func writeFanout(_ records: [FanoutRecord]) async throws(StorageError) -> [[WrittenTask]] {
        guard !records.isEmpty else { return [] }
        let columns = FanoutColumns(records)
        let statement = WriteFanoutStatement(columns: columns)
        let (written, endpoints) = try await storage(deadline: Self.deadline) {
            var written: [TaskKey: WrittenTask] = [:]
            var endpoints: [EndpointHealthRow] = []
            for row in try await run(statement) {
                switch row {
                case .task(let key, let task): written[key] = task
                case .endpoint(let endpoint): endpoints.append(endpoint)
                }
            }
            return (written, endpoints)
        }
        let disabled = await disableFailing(endpoints, outcomes: columns.outcomes)
        return records.map { record in
            let key = record.event.key
            return record.tasks.compactMap { task in
                guard var done = written[TaskKey(scope: key.scope, eventID: storable(key.id), webhookID: task.webhookId)] else { return nil }
                done.disabledReason = disabled[task.webhookId]
                return done
            }
        }
    }
}

/// A task's unique key: its event's and its webhook.
struct TaskKey: Hashable {
    var scope: Int64
    var eventID: String
    var webhookID: Int64
}

/// Group commit of the fan-out stage's writes: events whose first attempts end at the same time
/// share one statement and one commit.
public typealias FanoutWriter = GroupCommit<FanoutRecord, [WrittenTask]>

extension GroupCommit where Item == FanoutRecord, Output == [WrittenTask] {
    /// Writes through `DeliveryStore.writeFanout`, one write at a time by default (see `AttemptRecorder`).
    public convenience init(store: DeliveryStore, maximumBatch: Int = 200, maximumConcurrentWrites: Int = 1) {
        self.init(maximumBatch: maximumBatch, maximumConcurrentWrites: maximumConcurrentWrites) { records throws(StorageError) in
            try await store.writeFanout(records)
        }
    }
}

/// The fan-out write: every row inserted once, in its final state for now, with no update, no
/// per-row look-up and no foreign-key check. Rows: kind 0, each task inserted (its id, schedule
/// version and unique key); kind 1, each endpoint whose health changed.
struct WriteFanoutStatement: BatchStatement {
    enum Row {
        case task(TaskKey, WrittenTask)
        case endpoint(EndpointHealthRow)
    }

    static let sql = """
        WITH new_events AS (
            -- tenant_scope is generated from tenant_id: an event is unique per (tenant, id).
            INSERT INTO events (id, type, tenant_id, association_type, association_id, resource_key, occurred_at, payload)
            SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
            ON CONFLICT (tenant_scope, id) DO NOTHING
        ), input AS (
            SELECT * FROM unnest($9::bigint[], $10::text[], $11::bigint[], $12::text[], $13::bigint[], $14::timestamptz[],
                                 $15::bigint[], $16::text[], $17::timestamptz[], $18::bigint[], $19::text[], $20::text[], $21::text[],
                                 $22::text[], $23::text[], $24::bigint[], $25::boolean[])
                AS x(scope, event_id, webhook_id, status, attempts, next_try_at, status_code, error, attempted_at, schedule_version,
                     event_type, request_url, request_headers, response_headers, response_body, duration_ms, success)
        ), tasks AS (
            INSERT INTO delivery_tasks (event_scope, event_id, webhook_id, status, attempts, next_try_at, last_status_code, last_error,
                                        last_attempt_at, schedule_version)
            SELECT scope, event_id, webhook_id, status, attempts, next_try_at, status_code, error, attempted_at, schedule_version
            FROM input
            ON CONFLICT (event_scope, event_id, webhook_id) DO NOTHING
            RETURNING id, event_scope, event_id, webhook_id, schedule_version
        ), attempts AS (
            -- Only for the tasks inserted here. No request body: it is the event's, rebuilt when shown
            -- (migration 20).
            INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_scope, event_type, attempt, request_url,
                request_headers, response_status, response_headers, response_body, duration_ms, error, success, created_at)
            SELECT t.id, i.webhook_id, i.event_id, i.scope, i.event_type, i.attempts, i.request_url, i.request_headers::jsonb,
                i.status_code, i.response_headers::jsonb, i.response_body, i.duration_ms, i.error, i.success, i.attempted_at
            FROM tasks t JOIN input i ON i.scope = t.event_scope AND i.event_id = t.event_id AND i.webhook_id = t.webhook_id
            WHERE i.attempts > 0
        ), health AS (
            \(EndpointOutcomes.healthUpdate(from: 26))
        )
        SELECT 0, id, schedule_version, NULL::text, NULL::int, NULL::timestamptz, NULL::timestamptz, event_scope, event_id, webhook_id
        FROM tasks
        UNION ALL
        SELECT 1, id, NULL::int, status, consecutive_failed_tasks, failing_since, now(), NULL::bigint, NULL::text, NULL::bigint
        FROM health
        """

    var columns: FanoutColumns

    func makeBindings() -> PostgresBindings { columns.bindings() }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let r = row.makeRandomAccess()
        if try r[0].decode(Int.self) == 0 {
            let key = TaskKey(scope: try r[7].decode(Int64.self), eventID: try r[8].decode(String.self), webhookID: try r[9].decode(Int64.self))
            return .task(key, WrittenTask(id: try r[1].decode(Int64.self), webhookId: key.webhookID, scheduleVersion: try r[2].decode(Int.self)))
        }
        return .endpoint(try EndpointHealthRow(r, from: 1))
    }
}
