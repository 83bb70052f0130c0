import Foundation
import Storage
import WebhookCore

extension InMemoryDatabase {
    /// What `addDelivery` recorded.
    public struct Delivery: Sendable {
        public let eventId: String
        public let taskId: Int64
        /// The first attempt, which failed (HTTP 500).
        public let failedLogId: Int64
        /// The second attempt, which succeeded (HTTP 200).
        public let succeededLogId: Int64
    }

    /// Records one event delivered to `webhookId` as delivery would: a task with status `taskStatus`
    /// and two attempts, a failed one (HTTP 500, 40 ms) one second after `createdAt` and a successful
    /// one (HTTP 200, 80 ms) two seconds after it.
    public func addDelivery(
        webhookId: Int64, eventType: String = "job.failed", taskStatus: TaskStatus = .failed,
        createdAt: Date = Date()
    ) throws -> Delivery {
        guard let webhook = webhookRows[webhookId] else { throw StorageError.failed("no webhook \(webhookId)") }
        let eventId = "evt_memory_\(nextID())"
        let task = TaskRecord(
            id: nextID(), eventId: eventId, eventType: eventType, webhookId: webhookId, tenantId: webhook.tenantId, url: webhook.url,
            status: taskStatus, attempts: 2, nextTryAt: nil, lastStatusCode: 500, lastError: "HTTP 500", createdAt: createdAt,
            updatedAt: createdAt)
        taskRows[task.id] = task
        if eventRows[EventKey(scope: webhook.tenantId, id: eventId)] == nil {
            addEvent(
                EventRecord(
                    id: eventId, type: eventType, tenantId: webhook.tenantId, resourceKey: nil, occurredAt: createdAt,
                    receivedAt: createdAt, payload: #"{"n": 1}"#))
        }
        var logIds: [Int64] = []
        for (number, status, ok) in [(1, 500, false), (2, 200, true)] {
            let attempt = DeliveryAttempt(
                id: nextID(), taskId: task.id, webhookId: webhookId, eventId: eventId, eventType: eventType, attemptNumber: number,
                requestURL: webhook.url, requestHeaders: ["webhook-id": "msg_1"], requestBody: #"{"id": "\#(eventId)"}"#,
                responseStatus: status, responseHeaders: ["content-type": "text/plain"], responseBody: "body", durationMs: number * 40,
                error: ok ? nil : "HTTP 500", success: ok, createdAt: createdAt.addingTimeInterval(Double(number)))
            attemptRows[attempt.id] = attempt
            logIds.append(attempt.id)
        }
        return Delivery(eventId: eventId, taskId: task.id, failedLogId: logIds[0], succeededLogId: logIds[1])
    }

    /// The task as the registry reads it: joined with its webhook's tenant and URL.
    func joined(_ task: TaskRecord) -> TaskRecord {
        var task = task
        if let webhook = webhookRows[task.webhookId] {
            task.tenantId = webhook.tenantId
            task.url = webhook.url
        }
        return task
    }

    /// Records `event` as ingest would (replacing one with the same scope and id).
    public func addEvent(_ event: EventRecord) {
        eventRows[EventKey(scope: event.tenantId ?? -1, id: event.id)] = event
    }

    func listEvents(_ filter: EventListFilter, page: Int, pageSize: Int) throws(StorageError) -> (items: [EventRecord], total: Int) {
        try check()
        let selected = eventRows.values.filter(filter.selects).sorted { ($0.receivedAt, $0.id) > ($1.receivedAt, $1.id) }
        return (Array(selected.dropFirst((page - 1) * pageSize).prefix(pageSize)), selected.count)
    }

    func event(id: String, eventScope: Int64, scope: Int64?) throws(StorageError) -> EventDetail? {
        try check()
        guard let event = eventRows[EventKey(scope: eventScope, id: id)] else { return nil }
        let tasks = taskRows.values.map(joined).filter { task in
            task.eventId == id && Self.visible(task.tenantId, to: scope) && (event.tenantId.map { $0 == task.tenantId } ?? true)
        }.sorted { $0.id < $1.id }
        let ids = Set(tasks.map(\.id))
        let attempts = attemptRows.values.filter { !$0.isTest && ids.contains($0.taskId) }
            .sorted { ($0.taskId, $0.attemptNumber, $0.id) < ($1.taskId, $1.attemptNumber, $1.id) }
            .map { a in
                EventAttempt(
                    id: a.id, taskId: a.taskId, webhookId: a.webhookId, attemptNumber: a.attemptNumber, success: a.success,
                    responseStatus: a.responseStatus, durationMs: a.durationMs, createdAt: a.createdAt)
            }
        return EventDetail(
            event: event, tasks: tasks.map { EventTask(task: $0, webhookName: webhookRows[$0.webhookId]?.name ?? "") }, attempts: attempts)
    }

    func tenant(ofAttempt attempt: DeliveryAttempt) -> Int64? { webhookRows[attempt.webhookId]?.tenantId }

    func listTasks(_ f: TaskFilter, page: Int, pageSize: Int) throws(StorageError) -> (items: [TaskRecord], total: Int) {
        try check()
        let rows = taskRows.values.map(joined).filter { t in
            Self.visible(t.tenantId, to: f.scope) && Self.visible(t.tenantId, to: f.tenantId)
                && (f.webhookId.map { $0 == t.webhookId } ?? true) && (f.status.map { $0 == t.status } ?? true)
        }
        return Self.page(rows.sorted { $0.id > $1.id }, page: page, pageSize: pageSize)
    }

    func getTask(id: Int64, scope: Int64?) throws(StorageError) -> TaskRecord? {
        try check()
        return taskRows[id].map(joined).flatMap { Self.visible($0.tenantId, to: scope) ? $0 : nil }
    }

    func scheduleRetry(id: Int64, scope: Int64?) throws(StorageError) -> TaskRecord? {
        guard var task = try getTask(id: id, scope: scope) else { return nil }
        let now = Date()
        task.status = .retry
        task.nextTryAt = now
        task.updatedAt = now
        taskRows[id] = task
        return task
    }

    func owner(ofAttempt id: Int64, scope: Int64?) throws(StorageError) -> AttemptOwner? {
        try check()
        guard let attempt = attemptRows[id], let tenant = tenant(ofAttempt: attempt), Self.visible(tenant, to: scope) else { return nil }
        return attempt.taskId != 0 && !attempt.isTest ? .task(attempt.taskId) : .testSend
    }

    func recoverFailed(scope: Int64?, since: Date, until: Date?, webhookId: Int64?, limit: Int) throws(StorageError) -> [Int64] {
        try check()
        let chosen = taskRows.values.map(joined).filter { t in
            t.status == .failed && t.createdAt >= since && (until.map { t.createdAt < $0 } ?? true)
                && (webhookId.map { $0 == t.webhookId } ?? true) && Self.visible(t.tenantId, to: scope)
        }.sorted { $0.id < $1.id }.prefix(limit)
        let now = Date()
        for var task in chosen {
            task.status = .retry
            task.nextTryAt = now
            task.updatedAt = now
            taskRows[task.id] = task
        }
        return chosen.map(\.id)
    }

    func listAttempts(_ f: AttemptFilter, page: Int, pageSize: Int) throws(StorageError) -> (items: [DeliveryAttempt], total: Int) {
        try check()
        let rows = attemptRows.values.filter { a in
            guard let tenant = tenant(ofAttempt: a) else { return false }
            return Self.visible(tenant, to: f.scope) && (f.webhookId.map { $0 == a.webhookId } ?? true)
                && (f.success.map { $0 == a.success } ?? true) && (f.eventType.map { $0 == a.eventType } ?? true)
                && (f.since.map { a.createdAt >= $0 } ?? true) && (f.until.map { a.createdAt < $0 } ?? true)
                && (f.test.map { $0 == a.isTest } ?? true)
        }
        let ordered = rows.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        return Self.page(ordered, page: page, pageSize: pageSize)
    }

    func getAttempt(id: Int64, scope: Int64?) throws(StorageError) -> DeliveryAttempt? {
        try check()
        guard let attempt = attemptRows[id], let tenant = tenant(ofAttempt: attempt), Self.visible(tenant, to: scope) else { return nil }
        return attempt
    }

    func stats(webhookId: Int64, since: Date, bucketSeconds: Int) throws(StorageError) -> AttemptStats {
        try check()
        let window = attemptRows.values.filter { $0.webhookId == webhookId && $0.createdAt >= since }
        let deliveries = window.filter { !$0.isTest }
        let durations = deliveries.map { Double($0.durationMs) }.sorted()
        var byStatus: [String: Int] = [:]
        for task in taskRows.values where task.webhookId == webhookId { byStatus[task.status.rawValue, default: 0] += 1 }
        let succeeded = deliveries.filter(\.success).count
        let width = max(60, bucketSeconds)
        let series = Dictionary(grouping: deliveries) { AttemptBucket.start(of: $0.createdAt, width: width) }
            .sorted { $0.key < $1.key }
            .map { start, rows in
                let sorted = rows.map { Double($0.durationMs) }.sorted()
                let ok = rows.filter(\.success).count
                return AttemptBucket(
                    start: start, succeeded: ok, failed: rows.count - ok, p50Ms: Self.percentile(0.5, of: sorted),
                    p95Ms: Self.percentile(0.95, of: sorted))
            }
        return AttemptStats(
            total: deliveries.count, succeeded: succeeded, failed: deliveries.count - succeeded,
            averageMs: durations.isEmpty ? nil : durations.reduce(0, +) / Double(durations.count),
            p50Ms: Self.percentile(0.5, of: durations), p95Ms: Self.percentile(0.95, of: durations),
            p99Ms: Self.percentile(0.99, of: durations), lastAttemptAt: deliveries.map(\.createdAt).max(),
            testAttempts: window.count - deliveries.count, tasksByStatus: byStatus, series: series)
    }

    /// PostgreSQL's `percentile_cont`: linear interpolation between the two nearest of `sorted`.
    static func percentile(_ fraction: Double, of sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    func recordTestSend(_ attempt: DeliveryAttempt, tenantId: Int64) throws(StorageError) -> DeliveryAttempt? {
        try check()
        guard webhookRows[attempt.webhookId]?.tenantId == tenantId else { return nil }
        var stored = attempt
        stored.id = nextID()
        stored.taskId = 0
        stored.attemptNumber = 1
        stored.isTest = true
        attemptRows[stored.id] = stored
        return stored
    }
}

/// `TaskRepository` over an `InMemoryDatabase`.
public struct InMemoryTaskRepository: TaskRepository {
    let database: InMemoryDatabase

    public func list(_ filter: TaskFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [TaskRecord], total: Int) {
        try await database.listTasks(filter, page: page, pageSize: pageSize)
    }
    public func get(id: Int64, scope: Int64?) async throws(StorageError) -> TaskRecord? { try await database.getTask(id: id, scope: scope) }
    public func event(id: String, eventScope: Int64, scope: Int64?) async throws(StorageError) -> EventDetail? {
        try await database.event(id: id, eventScope: eventScope, scope: scope)
    }
    public func events(_ filter: EventListFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [EventRecord], total: Int) {
        try await database.listEvents(filter, page: page, pageSize: pageSize)
    }
    public func scheduleRetry(id: Int64, scope: Int64?) async throws(StorageError) -> TaskRecord? {
        try await database.scheduleRetry(id: id, scope: scope)
    }
    public func owner(ofAttempt attemptId: Int64, scope: Int64?) async throws(StorageError) -> AttemptOwner? {
        try await database.owner(ofAttempt: attemptId, scope: scope)
    }
    public func recoverFailed(scope: Int64?, since: Date, until: Date?, webhookId: Int64?, limit: Int) async throws(StorageError) -> [Int64] {
        try await database.recoverFailed(scope: scope, since: since, until: until, webhookId: webhookId, limit: limit)
    }
}

/// `AttemptLogRepository` over an `InMemoryDatabase`.
public struct InMemoryAttemptLogRepository: AttemptLogRepository {
    let database: InMemoryDatabase

    public func list(_ filter: AttemptFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [DeliveryAttempt], total: Int) {
        try await database.listAttempts(filter, page: page, pageSize: pageSize)
    }
    public func get(id: Int64, scope: Int64?) async throws(StorageError) -> DeliveryAttempt? { try await database.getAttempt(id: id, scope: scope) }
    public func stats(webhookId: Int64, since: Date, bucketSeconds: Int) async throws(StorageError) -> AttemptStats {
        try await database.stats(webhookId: webhookId, since: since, bucketSeconds: bucketSeconds)
    }
    public func recordTestSend(_ attempt: DeliveryAttempt, tenantId: Int64) async throws(StorageError) -> DeliveryAttempt? {
        try await database.recordTestSend(attempt, tenantId: tenantId)
    }
}
