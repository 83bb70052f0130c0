import Foundation
import Logging
import Messaging
import ServiceLifecycle
import Storage
import WebhookCore

/// Stage 2: takes task messages off `webhooks.deliver` (retries, hand-offs from the fan-out stage,
/// manual retries from the registry), attempts the task if it is still due, records the attempt and
/// schedules the next retry, then acknowledges.
struct TaskConsumer: Service {
    let connection: AMQPConnection
    let database: Database
    let gate: EndpointGate
    let dispatcher: Dispatcher
    let finisher: TaskFinisher
    let scheduler: RetryScheduler
    let deadLetter: DeadLetter
    let prefetch: Int
    let metrics: DeliveryMetrics
    let logger: Logger

    /// Wait before trying again when the endpoint is at its limit; doubled with each deferral.
    static let busyDelay: Duration = .seconds(1)
    /// The longest a deferred task waits before it looks again.
    static let longestDeferral: Duration = .seconds(60)

    func run() async throws {
        await ConsumeLoop.run(connection, queue: WebhookTopology.deliverQueue, prefetch: prefetch) { await process($0) }
        logger.info("task consumer stopped")
    }

    func process(_ delivery: AMQPDelivery) async {
        metrics.queueLag(stage: .deliver, of: delivery, header: RetryScheduler.dueHeader)
        guard let message = await deadLetter.decode(delivery, TaskMessage.decode) else { return }
        do {
            try await handle(message)
            connection.ack(delivery)
        } catch {
            logger.error("task processing failed; returning it to the queue", metadata: ["task_id": "\(message.taskID)", "error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            connection.reject(delivery, requeue: true)
        }
    }

    private func handle(_ message: TaskMessage) async throws {
        // An endpoint at its limit: put the task back without touching the database. Tasks of a slow
        // endpoint back off (1 s, 2 s, 4 s, ... 60 s), so they do not cycle through the broker.
        if let webhookID = message.webhookID, gate.isSaturated(webhookID) {
            try await putBack(message)
            return
        }
        guard let (task, event) = try await database.deliveries.loadTask(id: message.taskID) else { return }  // deleted
        guard task.status == .pending || task.status == .retry else { return }  // already done or cancelled
        if let version = message.version, version != task.scheduleVersion { return }  // superseded
        guard let event else {
            try await database.deliveries.cancelTask(id: task.id, reason: "its event is no longer stored")
            return
        }
        if let due = task.nextTryAt, due.timeIntervalSinceNow > 0.5 {
            // Early (a hop through the tiers, or rescheduled): wait out the rest.
            try await scheduler.schedule(message, after: .milliseconds(Int64(due.timeIntervalSinceNow * 1000)))
            return
        }
        guard let webhook = try await database.webhooks.get(id: task.webhookId, tenantId: nil), webhook.status == .active else {
            try await database.deliveries.cancelTask(id: task.id, reason: "the webhook was deleted or disabled")
            return
        }
        guard let permit = gate.tryAcquire(webhook.id, maxInFlight: webhook.maxInFlight, rateLimit: webhook.rateLimit) else {
            try await putBack(TaskMessage(taskID: message.taskID, version: message.version, webhookID: webhook.id, deferrals: message.deferrals))
            return
        }
        let (record, duration) = await dispatcher.attempt(task, webhook: webhook, event: event)
        permit.release(after: duration)
        try await finisher.finish(record)
    }

    private func putBack(_ message: TaskMessage) async throws {
        let delay = TaskMessage.deferralDelay(message.deferrals, base: Self.busyDelay, limit: Self.longestDeferral)
        try await scheduler.schedule(message.deferred(), after: delay)
        metrics.deferred()
    }
}
