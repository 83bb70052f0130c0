import Foundation
import Messaging
import Storage
import WebhookCore

extension FanoutConsumer {
    /// The first attempt per webhook, before anything is written: a webhook whose endpoint is slow,
    /// rate-limited or stays busy longer than `permitPatience` is handed off instead (its task is
    /// written pending and published to `webhooks.deliver` after the commit).
    func firstAttempts(_ webhooks: [Webhook], of event: Event, body: [UInt8]?) async -> [FirstAttempt] {
        @Sendable func attempt(_ webhook: Webhook) async -> FirstAttempt {
            guard let permit = await gate.acquire(webhook.id, maxInFlight: webhook.maxInFlight, rateLimit: webhook.rateLimit, patience: Self.permitPatience)
            else {
                return FirstAttempt(webhookId: webhook.id, record: nil)
            }
            // Not written yet: the task has no id until the write (the attempt's log line shows 0).
            let task = DeliveryTask(
                id: 0, eventId: event.id, eventScope: event.key.scope, webhookId: webhook.id, status: .pending,
                attempts: 0, nextTryAt: nil, createdAt: Date())
            let (record, duration) = await dispatcher.attempt(task, webhook: webhook, event: event, body: body)
            permit.release(after: duration)
            return FirstAttempt(webhookId: webhook.id, record: record)
        }
        if webhooks.count == 1 {
            // The common case runs in this task: no child task to create and schedule.
            return [await attempt(webhooks[0])]
        }
        return await withTaskGroup(of: FirstAttempt.self) { group in
            for webhook in webhooks { group.addTask { await attempt(webhook) } }
            var attempts: [FirstAttempt] = []
            for await attempt in group { attempts.append(attempt) }
            return attempts
        }
    }

    /// After the write's commit: hand-offs go to `webhooks.deliver` (the consumer there finds their
    /// rows), retries into their backoff tier, disabled endpoints out of the index. A task that a
    /// concurrent writer stored first (`written` lacks it) is that writer's to follow up.
    /// - Throws: when a hand-off was not published (the redelivery resumes the pending task).
    func settle(_ attempts: [FirstAttempt], written: [WrittenTask]) async throws {
        var tasks: [Int64: WrittenTask] = [:]
        for task in written { tasks[task.webhookId] = task }
        var handOffs: [TaskMessage] = []
        for attempt in attempts {
            guard let task = tasks[attempt.webhookId] else { continue }
            if let record = attempt.record {
                await finisher.settle(record, taskID: task.id, scheduleVersion: task.scheduleVersion, disabledReason: task.disabledReason)
            } else {
                handOffs.append(TaskMessage(taskID: task.id, version: task.scheduleVersion, webhookID: task.webhookId))
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in handOffs { group.addTask { try await scheduler.schedule(message, after: nil) } }
            try await group.waitForAll()
        }
    }

    /// A redelivered event's tasks stored pending and never attempted (the message went back before
    /// they were): attempted now and recorded through `TaskFinisher`, as the send stage does.
    func resume(_ tasks: [DeliveryTask], of event: Event, index: SubscriptionIndex, body: [UInt8]?) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in tasks {
                group.addTask {
                    // A task whose webhook the index no longer holds goes through the queue, where
                    // the webhook is read from the database (and the task cancelled if it is gone).
                    guard let webhook = index.webhooks[task.webhookId],
                        let permit = await gate.acquire(
                            webhook.id, maxInFlight: webhook.maxInFlight, rateLimit: webhook.rateLimit, patience: Self.permitPatience)
                    else {
                        return try await scheduler.schedule(
                            TaskMessage(taskID: task.id, version: task.scheduleVersion, webhookID: task.webhookId), after: nil)
                    }
                    let (record, duration) = await dispatcher.attempt(task, webhook: webhook, event: event, body: body)
                    permit.release(after: duration)
                    try await finisher.finish(record)
                }
            }
            try await group.waitForAll()
        }
    }
}
