import Foundation

/// What a delivery job does.
public enum JobKind: String, Sendable, Codable, CaseIterable {
    /// Sends the stored events of a time range to one webhook, whether or not it existed then.
    case replay
    /// Schedules again the failed tasks created in a time range (optionally of one webhook).
    case recover
}

/// Where a delivery job stands.
public enum JobStatus: String, Sendable, Codable, CaseIterable {
    /// Created, no batch run yet.
    case queued
    /// At least one batch ran; more remain.
    case running
    /// Every event (or failed task) of the range was looked at.
    case completed
    /// Stopped by `POST /api/v1/jobs/{id}/cancel`; the tasks already scheduled still run.
    case cancelled
    /// Stopped because it cannot go on (its webhook was deleted or disabled); `error` says why.
    case failed

    /// Whether the job still has work to do.
    public var isActive: Bool { self == .queued || self == .running }
}

/// What a caller asks for when creating a job.
public struct JobRequest: Sendable, Equatable {
    public var kind: JobKind
    /// The tenant whose events or tasks the job reads: the webhook's for a replay; the caller's (or
    /// the operator's choice) for a recovery; `nil`: every tenant (operators only).
    public var tenantId: Int64?
    /// A replay's target; a recovery's optional restriction.
    public var webhookId: Int64?
    /// A replay's event-type filters (exact, `prefix.*` or `*`); `nil`: the webhook's own.
    public var eventTypes: [String]?
    /// Start of the range (inclusive): events' arrival for a replay, tasks' creation for a recovery.
    public var since: Date
    /// End of the range (exclusive), fixed when the job is created.
    public var until: Date
    /// A replay skips the events the webhook already has a task for.
    public var onlyMissing: Bool
    /// A repeated request with the same key (per tenant) returns the first job.
    public var idempotencyKey: String?
    /// Who asked (the token's subject).
    public var createdBy: String

    public init(
        kind: JobKind, tenantId: Int64?, webhookId: Int64?, eventTypes: [String]?, since: Date, until: Date, onlyMissing: Bool = false,
        idempotencyKey: String?, createdBy: String
    ) {
        self.kind = kind
        self.tenantId = tenantId
        self.webhookId = webhookId
        self.eventTypes = eventTypes
        self.since = since
        self.until = until
        self.onlyMissing = onlyMissing
        self.idempotencyKey = idempotencyKey
        self.createdBy = createdBy
    }
}

/// A replay or recovery job and its progress.
public struct DeliveryJob: Sendable, Equatable {
    public var id: Int64
    public var request: JobRequest
    public var status: JobStatus
    /// Events (replay) or failed tasks (recovery) in the range, counted when the first batch ran.
    public var total: Int64?
    /// Events or tasks looked at so far.
    public var scanned: Int64
    /// Tasks created or scheduled again so far.
    public var scheduled: Int64
    /// Events looked at and not sent: not selected by the webhook, or (with `only_missing`) sent before.
    public var skipped: Int64
    /// Why a failed job stopped.
    public var error: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var updatedAt: Date

    public init(
        id: Int64, request: JobRequest, status: JobStatus, total: Int64?, scanned: Int64, scheduled: Int64, skipped: Int64, error: String?,
        createdAt: Date, startedAt: Date?, finishedAt: Date?, updatedAt: Date
    ) {
        self.id = id
        self.request = request
        self.status = status
        self.total = total
        self.scanned = scanned
        self.scheduled = scheduled
        self.skipped = skipped
        self.error = error
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.updatedAt = updatedAt
    }
}
