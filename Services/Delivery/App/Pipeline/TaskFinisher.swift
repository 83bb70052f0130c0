import Foundation
import Logging
import Messaging
import Storage
import WebhookCore

/// After an attempt: commit it (group commit), then, for a retry, put the task in its backoff tier;
/// an endpoint the attempt disabled and a task it exhausted are announced as operational events.
/// Only when both are done may the message that caused the attempt be acknowledged; if the retry
/// message cannot be published, the sweeper re-enqueues the overdue task later.
struct TaskFinisher: Sendable {
    let recorder: AttemptRecorder
    let scheduler: RetryScheduler
    let cache: SubscriptionCache
    /// Announces disabled endpoints and exhausted tasks (`OperationalEvents`).
    let operational: OperationalEventPublisher
    let metrics: DeliveryMetrics
    let logger: Logger

    /// - Throws: when the attempt could not be committed (the caller must not acknowledge).
    func finish(_ record: AttemptRecord) async throws(StorageError) {
        let recorded = try await recorder.record(record)
        await settle(record, taskID: record.attempt.taskId, scheduleVersion: recorded.scheduleVersion, disabledReason: recorded.disabledReason)
    }

    /// What follows an attempt's commit, whichever statement committed it (`finish` here, the
    /// fan-out write for first attempts): an endpoint disabled by it stops being matched, and a
    /// retry goes into its backoff tier (`scheduleVersion`: the task's after the commit).
    func settle(_ record: AttemptRecord, taskID: Int64, scheduleVersion: Int, disabledReason: String?) async {
        // Read before a reload drops a disabled endpoint from the index.
        let webhook = cache.current.webhooks[record.attempt.webhookId]
        if let reason = disabledReason {
            metrics.autoDisabled(reason: reason)
            // Stop matching the endpoint at once on this replica; the others learn it on their next refresh.
            try? await cache.reload()
            if let webhook { await operational.publish(OperationalEvents.disabled(webhook, reason: reason, at: record.attempt.createdAt)) }
        }
        if record.status == .failed, let webhook, OperationalEvents.emitsExhaustion(eventType: record.attempt.eventType) {
            await operational.publish(OperationalEvents.exhausted(taskID: taskID, webhook: webhook, attempt: record.attempt))
        }
        guard record.status == .retry, let due = record.nextTryAt else { return }
        let delay = Duration.milliseconds(Int64(max(0, due.timeIntervalSinceNow) * 1000))
        do {
            try await scheduler.schedule(TaskMessage(taskID: taskID, version: scheduleVersion, webhookID: record.attempt.webhookId), after: delay)
            metrics.retryScheduled()
        } catch {
            logger.warning(
                "retry not enqueued; the sweeper will pick the task up when overdue",
                metadata: ["task_id": "\(taskID)", "error": "\(error)"])
        }
    }
}
