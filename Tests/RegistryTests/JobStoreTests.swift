import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing
import WebhookCore

@testable import Storage

/// Replay and recovery jobs on PostgreSQL (`JobStore.runBatch`): a replay reads its range batch by
/// batch from where the last committed batch stopped, in its tenant's events and the tenant-less
/// ones (never another tenant's); it schedules what the selection takes, sends a finished task
/// again but leaves one still waiting; it waits while its window is full; cancelling stops it; a
/// recovery schedules the failed tasks of its range once; an attempt carries its task's job.
@Suite struct JobStoreTests {
    static let base = Date(timeIntervalSince1970: 1_780_000_000)

    /// Stores an event received `offset` seconds after `base`.
    static func insert(_ id: String, type: String, tenant: Int64?, offset: Double, on database: Database, logger: Logger) async throws {
        let event = Event(id: id, type: type, occurredAt: base, tenantId: tenant, data: .object([("n", .int(1))]))
        let payload = String(decoding: event.messageBody, as: UTF8.self)
        try await database.client.query(
            """
            INSERT INTO events (id, type, tenant_id, occurred_at, payload, received_at)
            VALUES (\(id), \(type), \(tenant), \(base), \(payload), \(base.addingTimeInterval(offset)))
            """, logger: logger)
    }

    static func request(_ kind: JobKind, webhook: Int64?, tenant: Int64?, key: String? = nil, onlyMissing: Bool = false) -> JobRequest {
        JobRequest(
            kind: kind, tenantId: tenant, webhookId: webhook, eventTypes: nil, since: base, until: base.addingTimeInterval(100),
            onlyMissing: onlyMissing, idempotencyKey: key, createdBy: "test")
    }

    /// Runs batches until none is left; returns the tasks they scheduled.
    static func drain(_ store: JobStore, batchSize: Int = 2, window: Int = 1_000, select: @escaping @Sendable (Event) -> Bool) async throws
        -> [Int64]
    {
        var scheduled: [Int64] = []
        for _ in 0..<100 {
            switch try await store.runBatch(batchSize: batchSize, window: window, selection: { _ in ReplaySelection(select) }) {
            case .idle: return scheduled
            case .progressed(let job, let tasks, _, let marker):
                scheduled += tasks.map(\.taskID)
                if let marker { try await store.markPublished(jobID: job, marker: marker) }
            case .stopped: Issue.record("unexpected outcome")
            }
        }
        Issue.record("the jobs did not finish")
        return scheduled
    }

    @Test func aReplayReadsItsRangeOnceInItsTenantAndTheTenantLessEvents() async throws {
        try await ScratchDatabase.with { database, logger in
            var webhook: Int64 = 0
            for try await id in try await database.client.query(
                "INSERT INTO webhooks (tenant_id, url, secret, events) VALUES (1, 'http://127.0.0.1:9/replay', 's', '{*}') RETURNING id", logger: logger
            ).decode(Int64.self) { webhook = id }
            for n in 1...7 {
                // Arrival times with microseconds: the cursor must name them exactly, or a batch
                // would read the previous batch's last event again.
                try await Self.insert(
                    "evt_\(n)", type: n % 2 == 0 ? "b.y" : "a.x", tenant: 1, offset: Double(n) + 0.123457 * Double(n), on: database, logger: logger)
            }
            try await Self.insert("evt_sys", type: "a.x", tenant: nil, offset: 3, on: database, logger: logger)
            try await Self.insert("evt_other", type: "a.x", tenant: 2, offset: 3, on: database, logger: logger)
            try await Self.insert("evt_late", type: "a.x", tenant: 1, offset: 500, on: database, logger: logger)
            let store = JobStore(client: database.client, logger: logger)

            let (job, created) = try await store.create(Self.request(.replay, webhook: webhook, tenant: 1, key: "k"))
            #expect(created)
            let (again, createdAgain) = try await store.create(Self.request(.replay, webhook: webhook, tenant: 1, key: "k"))
            #expect(!createdAgain && again.id == job.id, "the key finds the first job")

            let seen = SeenEvents()
            let scheduled = try await Self.drain(store, batchSize: 1) { event in
                seen.add(event.id)
                return event.type == "a.x"
            }
            #expect(seen.all == ["evt_1", "evt_2", "evt_3", "evt_4", "evt_5", "evt_6", "evt_7", "evt_sys"], "each event once, in order")
            #expect(scheduled.count == 5)
            let done = try #require(try await store.get(id: job.id, scope: 1))
            #expect(done.status == .completed && done.total == 8 && done.scanned == 8 && done.scheduled == 5 && done.skipped == 3, "\(done)")
            #expect(try await store.get(id: job.id, scope: 2) == nil, "another tenant does not see it")
            var tasks: [(String, Int64, String, Int64?)] = []
            for try await row in try await database.client.query(
                "SELECT event_id, event_scope, status, job_id FROM delivery_tasks ORDER BY event_id", logger: logger
            ).decode((String, Int64, String, Int64?).self) { tasks.append(row) }
            #expect(tasks.map(\.0) == ["evt_1", "evt_3", "evt_5", "evt_7", "evt_sys"])
            #expect(tasks.allSatisfy { $0.2 == "pending" && $0.3 == job.id })
            #expect(tasks.first { $0.0 == "evt_sys" }?.1 == -1)

            // A task still waiting is left to its round; a finished one is sent again, with a fresh
            // set of attempts, unless only the missing ones are asked for.
            try await database.client.query(
                "UPDATE delivery_tasks SET status = 'success', attempts = 3 WHERE event_id IN ('evt_1', 'evt_3')", logger: logger)
            let (missing, _) = try await store.create(Self.request(.replay, webhook: webhook, tenant: 1, onlyMissing: true))
            #expect(try await Self.drain(store) { $0.type == "a.x" }.isEmpty)
            #expect(try await store.get(id: missing.id, scope: nil)?.scheduled == 0)
            let (resend, _) = try await store.create(Self.request(.replay, webhook: webhook, tenant: 1))
            let resent = try await Self.drain(store) { $0.type == "a.x" }
            #expect(resent.count == 2)
            var rows: [(String, Int, Int64?)] = []
            for try await row in try await database.client.query(
                "SELECT status, attempts, job_id FROM delivery_tasks WHERE id = ANY(\(resent))", logger: logger
            ).decode((String, Int, Int64?).self) { rows.append(row) }
            #expect(rows.count == 2 && rows.allSatisfy { $0.0 == "pending" && $0.1 == 0 && $0.2 == resend.id }, "\(rows)")
        }
    }

    @Test func aJobWaitsWhileItsWindowIsFullAndStopsWhenCancelled() async throws {
        try await ScratchDatabase.with { database, logger in
            var webhook: Int64 = 0
            for try await id in try await database.client.query(
                "INSERT INTO webhooks (tenant_id, url, secret, events) VALUES (1, 'http://127.0.0.1:9/window', 's', '{*}') RETURNING id", logger: logger
            ).decode(Int64.self) { webhook = id }
            for n in 1...6 { try await Self.insert("evt_w\(n)", type: "a.x", tenant: 1, offset: Double(n), on: database, logger: logger) }
            let store = JobStore(client: database.client, logger: logger)
            let (job, _) = try await store.create(Self.request(.replay, webhook: webhook, tenant: 1))
            let take: @Sendable (DeliveryJob) async throws -> ReplaySelection = { _ in ReplaySelection { _ in true } }
            let first = try await store.runBatch(batchSize: 2, window: 2, selection: take)
            guard case .progressed(_, let tasks, false, let marker?) = first else { throw Unexpected(outcome: first) }
            let ids = tasks.map(\.taskID)
            #expect(ids.count == 2 && tasks.allSatisfy { $0.version == 0 && $0.webhookID == webhook })

            // Its registry stopped before it published them: once they have waited long enough, the
            // next batch publishes them again, with new versions (the old messages are dropped).
            try await database.client.query(
                """
                UPDATE delivery_jobs SET unpublished = ARRAY[((extract(epoch FROM now()) * 1000)::bigint - 11000) << 16]
                WHERE id = \(job.id)
                """, logger: logger)
            let takenOver = try await store.runBatch(batchSize: 2, window: 2, selection: take)
            guard case .progressed(job.id, let again, false, let newMarker?) = takenOver else { throw Unexpected(outcome: takenOver) }
            #expect(again.map(\.taskID) == ids && again.allSatisfy { $0.version == 1 }, "\(again)")
            try await store.markPublished(jobID: job.id, marker: marker)
            var pending = false
            for try await set in try await database.client.query(
                "SELECT cardinality(unpublished) = 1 FROM delivery_jobs WHERE id = \(job.id)", logger: logger
            ).decode(Bool.self) { pending = set }
            #expect(pending, "the replaced marker does not clear the takeover's")
            try await store.markPublished(jobID: job.id, marker: newMarker)
            #expect(try await store.runBatch(batchSize: 2, window: 2, selection: take) == .idle, "its window is full")
            // Once its tasks were attempted, it goes on from where it stopped.
            try await database.client.query("UPDATE delivery_tasks SET status = 'success'", logger: logger)
            let second = try await store.runBatch(batchSize: 2, window: 2, selection: take)
            guard case .progressed(_, let more, false, _) = second else { throw Unexpected(outcome: second) }
            #expect(Set(more.map(\.taskID)).isDisjoint(with: ids) && more.count == 2)
            _ = try await store.cancel(id: job.id, scope: 1)
            #expect(try await store.runBatch(batchSize: 2, window: 2, selection: take) == .idle)
            let cancelled = try #require(try await store.get(id: job.id, scope: nil))
            #expect(cancelled.status == .cancelled && cancelled.scheduled == 4 && cancelled.finishedAt != nil)
            #expect(try await store.activeCount(tenantId: 1) == 0)

            // A replay whose webhook is gone ends failed, saying why.
            let (orphan, _) = try await store.create(Self.request(.replay, webhook: webhook, tenant: 1))
            let stopped = try await store.runBatch(batchSize: 2, window: 2) { _ in throw JobStop(reason: "its webhook was deleted") }
            #expect(stopped == .stopped(jobID: orphan.id, reason: "its webhook was deleted"))
            #expect(try await store.get(id: orphan.id, scope: 1)?.status == .failed)

            // Retention removes the jobs that ended before its cutoff, never an active one.
            let (active, _) = try await store.create(Self.request(.replay, webhook: webhook, tenant: 1))
            let purged = try await database.retention.purge(before: Date().addingTimeInterval(2 * 86_400))
            #expect(purged.jobs == 2, "\(purged)")
            #expect(try await store.get(id: active.id, scope: nil)?.status == .queued)
            #expect(try await store.get(id: job.id, scope: nil) == nil)
        }
    }

    @Test func aRecoverySchedulesTheFailedTasksOfItsRangeOnceAndTheLogNamesTheJob() async throws {
        try await ScratchDatabase.with(batchConnections: 1) { database, logger in
            var hooks: [Int64] = []
            for (tenant, url) in [(1, "http://127.0.0.1:9/r1"), (2, "http://127.0.0.1:9/r2")] {
                for try await id in try await database.client.query(
                    "INSERT INTO webhooks (tenant_id, url, secret, events) VALUES (\(tenant), \(url), 's', '{*}') RETURNING id", logger: logger
                ).decode(Int64.self) { hooks.append(id) }
            }
            for n in 1...5 {
                try await Self.insert("evt_f\(n)", type: "a.x", tenant: 1, offset: Double(n), on: database, logger: logger)
                try await database.client.query(
                    """
                    INSERT INTO delivery_tasks (event_id, event_scope, webhook_id, status, attempts, created_at)
                    VALUES (\("evt_f\(n)"), 1, \(hooks[0]), \(n == 5 ? "success" : "failed"), 8, \(Self.base.addingTimeInterval(Double(n))))
                    """, logger: logger)
            }
            try await Self.insert("evt_g", type: "a.x", tenant: 2, offset: 1, on: database, logger: logger)
            try await database.client.query(
                """
                INSERT INTO delivery_tasks (event_id, event_scope, webhook_id, status, attempts, created_at)
                VALUES ('evt_g', 2, \(hooks[1]), 'failed', 8, \(Self.base.addingTimeInterval(1)))
                """, logger: logger)
            let store = JobStore(client: database.client, logger: logger)
            let (job, _) = try await store.create(Self.request(.recover, webhook: nil, tenant: 1))
            let recovered = try await Self.drain(store, batchSize: 3) { _ in true }
            #expect(recovered.count == 4, "tenant 1's four failed tasks, not the delivered one, not tenant 2's")
            let done = try #require(try await store.get(id: job.id, scope: 1))
            #expect(done.status == .completed && done.total == 4 && done.scheduled == 4, "\(done)")

            // The attempt a job's task gets is marked with the job.
            let task = recovered[0]
            let attempt = DeliveryAttempt(
                taskId: task, webhookId: hooks[0], eventId: "evt_f1", eventType: "a.x", attemptNumber: 1, requestURL: "http://127.0.0.1:9/r1",
                requestHeaders: [:], requestBody: nil, responseStatus: 200, responseHeaders: [:], responseBody: "ok", durationMs: 1, error: nil,
                success: true, createdAt: Date())
            _ = try await database.deliveries.recordAttempts([AttemptRecord(attempt: attempt, status: .success, nextTryAt: nil)])
            var marked: [Int64?] = []
            for try await jobID in try await database.client.query(
                "SELECT job_id FROM delivery_attempts WHERE task_id = \(task)", logger: logger
            ).decode(Int64?.self) { marked.append(jobID) }
            #expect(marked == [job.id])

            // A task whose event retention deleted meanwhile is loaded without it (delivery cancels it).
            try await database.client.query("DELETE FROM events WHERE id = 'evt_f2'", logger: logger)
            let orphan = try #require(try await database.deliveries.loadTask(id: recovered[1]))
            #expect(orphan.event == nil && orphan.task.eventId == "evt_f2")
            let shown = try await AttemptLogStore(client: database.client, logger: logger).list(
                AttemptFilter(scope: 1, webhookId: hooks[0]), page: 1, pageSize: 10)
            #expect(shown.items.map(\.jobId) == [job.id])
        }
    }

    struct Unexpected: Error {
        let outcome: JobBatchOutcome
    }
}

/// The ids a selection was asked about, in order.
final class SeenEvents: Sendable {
    private let ids = Mutex<[String]>([])

    func add(_ id: String) { ids.withLock { $0.append(id) } }
    var all: [String] { ids.withLock { $0 } }
}
