import Messaging
import Storage
import WebhookCore

extension FanoutConsumer {
    /// How long a first attempt waits for its endpoint to finish a request in flight before the task
    /// goes through `webhooks.deliver` instead.
    static let permitPatience: Duration = .seconds(1)

    /// Stores `event` with its tasks (through the group commit) and makes their first attempts;
    /// returns once all of that is committed. A duplicate (its id stored before in its tenant, and
    /// the message not a redelivery) is counted and skipped.
    /// - Throws: when something was not committed; the caller hands the message back.
    func fanOut(_ event: Event, redelivered: Bool) async throws {
        let index = cache.current
        let matched = index.match(event) { _ in metrics.patternFallbackMatch() }
        let recorded = try await events.submit(EventRecording(event: event, webhookIDs: matched.map(\.id), resumeExisting: redelivered))
        if recorded.duplicate {
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
        metrics.fannedOut(tasks: tasks.count)
        logger.debug("event fanned out", metadata: ["event_id": "\(event.id)", "type": "\(event.type)", "tasks": "\(tasks.count)"])
    }

    /// Sends `task` through `webhooks.deliver` (its endpoint is slow, rate-limited, or busy).
    private func handOff(_ task: DeliveryTask) async throws {
        try await scheduler.schedule(TaskMessage(taskID: task.id, version: task.scheduleVersion, webhookID: task.webhookId), after: nil)
    }
}
