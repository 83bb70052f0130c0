import Foundation
import Logging
import Messaging
import ServiceLifecycle
import Storage
import WebhookCore

/// Stage 1: takes events off `webhooks.fanout`, matches them against the in-memory subscription
/// index, stores the event and one task per matching webhook in one statement (shared with the
/// other events consumed at the same time: one commit for all), then makes each task's first
/// attempt itself — except for endpoints that are slow, rate-limited, or stay at their in-flight
/// limit longer than `permitPatience`, whose tasks go through `webhooks.deliver` so they hold
/// nobody up. The event is acknowledged only after every
/// attempt is committed and every handed-off task is confirmed by the broker. A redelivered event
/// resumes the tasks not yet attempted.
struct FanoutConsumer: Service {
    let connection: AMQPConnection
    let events: EventRecorder
    let cache: SubscriptionCache
    let gate: EndpointGate
    let dispatcher: Dispatcher
    let finisher: TaskFinisher
    let scheduler: RetryScheduler
    let deadLetter: DeadLetter
    let prefetch: Int
    let metrics: DeliveryMetrics
    let logger: Logger

    func run() async throws {
        // Matching against an index that is not loaded yet would drop events: wait for it.
        while !cache.isLoaded && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(50)) }
        }
        await ConsumeLoop.run(connection, queue: WebhookTopology.fanoutQueue, prefetch: prefetch) { await process($0) }
        logger.info("fan-out consumer stopped")
    }

    /// How long a first attempt waits for its endpoint to finish a request in flight before the task
    /// goes through `webhooks.deliver` instead.
    static let permitPatience: Duration = .seconds(1)

    /// Sends `task` through `webhooks.deliver` (its endpoint is slow, rate-limited, or busy).
    private func handOff(_ task: DeliveryTask) async throws {
        try await scheduler.schedule(TaskMessage(taskID: task.id, version: task.scheduleVersion, webhookID: task.webhookId), after: nil)
    }

    func process(_ delivery: AMQPDelivery) async {
        metrics.queueLag(stage: .fanout, of: delivery, header: WebhookTopology.acceptedAtHeader)
        guard let event = await deadLetter.decode(delivery, EventMessage.decode) else { return }
        do {
            let index = cache.current
            let matched = index.match(event) { _ in metrics.patternFallbackMatch() }
            let recorded = try await events.submit(EventRecording(event: event, webhookIDs: matched.map(\.id), resumeExisting: delivery.redelivered))
            if recorded.duplicate {
                connection.ack(delivery)
                metrics.duplicate()
                logger.info("duplicate event ignored: its id was stored before in its tenant",
                            metadata: ["event_id": "\(event.id)", "tenant_id": "\(event.tenantId.map(String.init) ?? "none")", "type": "\(event.type)"])
                return
            }
            let tasks = recorded.tasks
            // The outgoing body depends on the event alone: made once for all its webhooks.
            let body = tasks.count > 1 ? WebhookRequest.body(for: event) : nil
            @Sendable func firstAttempt(_ task: DeliveryTask) async throws {
                // A task whose webhook the index no longer holds goes through the queue, where
                // the webhook is read from the database (and the task cancelled if it is gone).
                guard let webhook = index.webhooks[task.webhookId],
                    let permit = await gate.acquire(webhook.id, patience: Self.permitPatience)
                else {
                    return try await handOff(task)
                }
                let (record, duration) = await dispatcher.attempt(task, webhook: webhook, event: event, body: body)
                permit.release(after: duration)
                try await finisher.finish(record)
            }
            if tasks.count == 1 {
                // The common case runs in this task: no child task to create and schedule.
                try await firstAttempt(tasks[0])
            } else {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for task in tasks { group.addTask { try await firstAttempt(task) } }
                    try await group.waitForAll()
                }
            }
            connection.ack(delivery)
            metrics.fannedOut(tasks: tasks.count)
            logger.debug("event fanned out", metadata: ["event_id": "\(event.id)", "type": "\(event.type)", "tasks": "\(tasks.count)"])
        } catch {
            // Not committed: hand the event back after a pause; it is redelivered and resumes where
            // this attempt stopped (tasks are unique per event and webhook).
            logger.error("event processing failed; returning it to the queue", metadata: ["event_id": "\(event.id)", "error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            connection.reject(delivery, requeue: true)
        }
    }
}
