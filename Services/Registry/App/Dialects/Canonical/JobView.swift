import Foundation
import WebhookCore

/// A replay or recovery job as the canonical API shows it: what it was asked to do, where it
/// stands, and its progress.
struct JobView: ExplicitNulls {
    struct Progress: ExplicitNulls {
        /// Events (replay) or failed tasks (recovery) in the range, counted when the job started.
        let total: Int64?
        let scanned: Int64
        let scheduled: Int64
        let skipped: Int64
        /// `scanned` of `total`, 0 to 100 (100 once the job completed).
        let percent: Double?
    }

    let id: Int64
    let kind: String
    let status: String
    let tenant_id: Int64?
    let webhook_id: Int64?
    let event_types: [String]?
    let since: String
    let until: String
    let only_missing: Bool
    let progress: Progress
    let error: String?
    let created_by: String
    let created_at: String
    let started_at: String?
    let finished_at: String?
    let updated_at: String

    init(_ job: DeliveryJob) {
        let r = job.request
        id = job.id
        kind = r.kind.rawValue
        status = job.status.rawValue
        tenant_id = r.tenantId
        webhook_id = r.webhookId
        event_types = r.eventTypes
        since = Timestamp.format(r.since)
        until = Timestamp.format(r.until)
        only_missing = r.onlyMissing
        let percent: Double? =
            if job.status == .completed { 100 } else {
                job.total.map { $0 == 0 ? 0 : min(100, (Double(job.scanned) / Double($0) * 1000).rounded() / 10) }
            }
        progress = Progress(total: job.total, scanned: job.scanned, scheduled: job.scheduled, skipped: job.skipped, percent: percent)
        error = job.error
        created_by = r.createdBy
        created_at = Timestamp.format(job.createdAt)
        started_at = job.startedAt.map(Timestamp.format)
        finished_at = job.finishedAt.map(Timestamp.format)
        updated_at = Timestamp.format(job.updatedAt)
    }
}
