import Foundation
import Logging
import ServiceKit
import Storage
import WebhookCore

/// Replay and recovery jobs for the API: who may create, see and cancel which, and the checks of a
/// new job. `JobRunner` does the work.
struct JobService: Sendable {
    let jobs: any JobRepository
    let webhooks: WebhookService
    let logger: Logger

    /// Most jobs one tenant may have queued or running at once.
    static let maximumActive = 10

    /// What a caller asks for, as read from the request.
    struct Draft {
        var kind: JobKind
        var webhookId: Int64?
        var tenantId: Int64?
        var eventTypes: [String]?
        var since: Date
        var until: Date?
        var onlyMissing: Bool
        var idempotencyKey: String?
    }

    /// Creates the job the draft describes; returns it and whether it is new (a repeated
    /// `Idempotency-Key` returns the first job).
    func create(_ draft: Draft, by identity: Identity, now: Date = Date()) async throws -> (job: DeliveryJob, created: Bool) {
        let until = min(draft.until ?? now, now)
        guard draft.since < until else {
            throw APIError.badRequest("E_INVALID_VALUE", "'since' must be before 'until' (which defaults to, and is at most, now)")
        }
        if let types = draft.eventTypes {
            guard draft.kind == .replay else { throw APIError.badRequest("E_INVALID_VALUE", "'event_types' applies to a replay only") }
            guard !types.isEmpty, types.count <= 256, types.allSatisfy(EventTypeFilter.isValid) else {
                throw APIError.badRequest(
                    "E_INVALID_EVENTS", "'event_types' must list 1 to 256 event types, 'prefix.*' wildcards or '*'")
            }
        }
        let tenant: Int64?
        switch draft.kind {
        case .replay:
            guard let id = draft.webhookId else { throw APIError.badRequest("E_MISSING_FIELD", "field 'webhook_id' is required for a replay") }
            let webhook = try await webhooks.get(id, identity)
            if let requested = draft.tenantId, requested != webhook.tenantId {
                throw APIError.badRequest("E_INVALID_VALUE", "'tenant_id' is the webhook's tenant (\(webhook.tenantId)) for a replay")
            }
            guard webhook.status == .active else {
                throw APIError.conflict("E_WEBHOOK_DISABLED", "webhook \(id) is \(webhook.status.rawValue); enable it before replaying to it")
            }
            tenant = webhook.tenantId
        case .recover:
            if draft.onlyMissing { throw APIError.badRequest("E_INVALID_VALUE", "'only_missing' applies to a replay only") }
            if let id = draft.webhookId {
                let webhook = try await webhooks.get(id, identity)
                if let requested = draft.tenantId, requested != webhook.tenantId {
                    throw APIError.badRequest("E_INVALID_VALUE", "'tenant_id' is the webhook's tenant (\(webhook.tenantId)) for its recovery")
                }
                tenant = webhook.tenantId
            } else {
                tenant = try WebhookService.readTenant(for: identity, requested: draft.tenantId) ?? identity.tenantId
            }
        }
        let request = JobRequest(
            kind: draft.kind, tenantId: tenant, webhookId: draft.webhookId, eventTypes: draft.eventTypes, since: draft.since, until: until,
            onlyMissing: draft.onlyMissing, idempotencyKey: draft.idempotencyKey, createdBy: identity.subject)
        // A repeated key finds its job first, even when the tenant has no room for a new one.
        if let key = draft.idempotencyKey, let first = try await storeCall({ try await jobs.find(idempotencyKey: key, tenantId: tenant) }) {
            return (try Self.repeated(first, request), false)
        }
        guard try await storeCall({ try await jobs.activeCount(tenantId: tenant) }) < Self.maximumActive else { throw Self.tooMany }
        let result = try await storeCall { try await jobs.create(request) }
        guard result.created else { return (try Self.repeated(result.job, request), false) }
        logger.info("job created", metadata: ["job_id": "\(result.job.id)", "kind": "\(draft.kind.rawValue)", "by": "\(identity.subject)"])
        return result
    }

    /// The job an earlier request with the same key created; 409 when it asked for something else.
    static func repeated(_ first: DeliveryJob, _ request: JobRequest) throws -> DeliveryJob {
        guard sameRequest(first.request, request) else {
            throw APIError.conflict("E_IDEMPOTENCY_CONFLICT", "this Idempotency-Key was used for job \(first.id), which asked for something else")
        }
        return first
    }

    func get(_ id: Int64, _ identity: Identity) async throws -> DeliveryJob {
        guard let job = try await storeCall({ try await jobs.get(id: id, scope: identity.tenantId) }) else { throw Self.notFound(id) }
        return job
    }

    func list(status: JobStatus?, _ identity: Identity, page: Int, pageSize: Int) async throws -> (items: [DeliveryJob], total: Int) {
        try await storeCall { try await jobs.list(scope: identity.tenantId, status: status, page: page, pageSize: pageSize) }
    }

    /// Cancels a queued or running job; 409 `E_JOB_FINISHED` when it ended already.
    func cancel(_ id: Int64, by identity: Identity) async throws -> DeliveryJob {
        let before = try await get(id, identity)
        guard before.status.isActive else {
            throw APIError.conflict("E_JOB_FINISHED", "job \(id) is \(before.status.rawValue) already")
        }
        guard let job = try await storeCall({ try await jobs.cancel(id: id, scope: identity.tenantId) }) else { throw Self.notFound(id) }
        // It may have ended between the two reads.
        guard job.status == .cancelled else { throw APIError.conflict("E_JOB_FINISHED", "job \(id) is \(job.status.rawValue) already") }
        logger.info("job cancelled", metadata: ["job_id": "\(id)", "by": "\(identity.subject)"])
        return job
    }

    /// Whether a repeated request asks for what the first one did (its `until` may differ when it
    /// defaulted to the time of each request).
    static func sameRequest(_ a: JobRequest, _ b: JobRequest) -> Bool {
        a.kind == b.kind && a.tenantId == b.tenantId && a.webhookId == b.webhookId && a.eventTypes == b.eventTypes
            && abs(a.since.timeIntervalSince(b.since)) < 0.001
            && a.onlyMissing == b.onlyMissing
    }

    static let tooMany = APIError.conflict(
        "E_TOO_MANY_JOBS", "a tenant may have at most \(maximumActive) jobs queued or running; wait for one to finish or cancel one")

    static func notFound(_ id: Int64) -> APIError { .notFound("E_JOB_NOT_FOUND", "job \(id) does not exist") }
}
