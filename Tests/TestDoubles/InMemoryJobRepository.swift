import Foundation
import Storage
import WebhookCore

/// `JobRepository` in memory, with PostgreSQL's rules the registry relies on: tenant scoping, one
/// job per (tenant, idempotency key), newest first with a total, and cancelling only active jobs.
/// Nothing runs the jobs: they stay queued until cancelled.
public actor InMemoryJobRepository: JobRepository {
    var rows: [Int64: DeliveryJob] = [:]
    var lastID: Int64 = 0

    public init() {}

    public func create(_ request: JobRequest) async throws(StorageError) -> (job: DeliveryJob, created: Bool) {
        if let key = request.idempotencyKey,
            let first = rows.values.first(where: { $0.request.idempotencyKey == key && $0.request.tenantId == request.tenantId })
        {
            return (first, false)
        }
        lastID += 1
        let now = Date()
        let job = DeliveryJob(
            id: lastID, request: request, status: .queued, total: nil, scanned: 0, scheduled: 0, skipped: 0, error: nil, createdAt: now,
            startedAt: nil, finishedAt: nil, updatedAt: now)
        rows[job.id] = job
        return (job, true)
    }

    public func find(idempotencyKey: String, tenantId: Int64?) async throws(StorageError) -> DeliveryJob? {
        rows.values.first { $0.request.idempotencyKey == idempotencyKey && $0.request.tenantId == tenantId }
    }

    public func get(id: Int64, scope: Int64?) async throws(StorageError) -> DeliveryJob? {
        guard let job = rows[id], scope == nil || job.request.tenantId == scope else { return nil }
        return job
    }

    public func list(scope: Int64?, status: JobStatus?, page: Int, pageSize: Int) async throws(StorageError) -> (
        items: [DeliveryJob], total: Int
    ) {
        let selected = rows.values.filter { (scope == nil || $0.request.tenantId == scope) && (status == nil || $0.status == status) }
            .sorted { $0.id > $1.id }
        return (Array(selected.dropFirst((page - 1) * pageSize).prefix(pageSize)), selected.count)
    }

    public func cancel(id: Int64, scope: Int64?) async throws(StorageError) -> DeliveryJob? {
        guard var job = try await get(id: id, scope: scope) else { return nil }
        if job.status.isActive {
            job.status = .cancelled
            job.finishedAt = Date()
            rows[id] = job
        }
        return job
    }

    public func activeCount(tenantId: Int64?) async throws(StorageError) -> Int {
        rows.values.filter { $0.request.tenantId == tenantId && $0.status.isActive }.count
    }
}
