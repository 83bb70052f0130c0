import Foundation
import Logging
import Messaging
import WebhookCore

/// Publishes "webhook changed" notices (`ControlNotice`) on `webhooks.control` so every delivery
/// replica refreshes its subscription index at once, and the operational events of webhook changes. A notice that cannot be published is logged, not
/// fatal: the change is already committed and delivery also refreshes periodically.
struct ControlNotifier: Sendable {
    let connection: any MessagePublisher
    let logger: Logger

    func notify(_ change: ControlNotice.Change, _ webhook: Webhook) async {
        let notice = ControlNotice(change: change, tenantID: webhook.tenantId, webhookID: webhook.id)
        let message = AMQPMessage(
            body: notice.body, messageID: notice.messageID(at: Self.millis()),
            type: notice.messageType, contentType: ControlNotice.contentType)
        do {
            try await connection.publish(exchange: WebhookTopology.controlExchange, routingKey: "", message: message)
        } catch {
            logger.warning(
                "could not publish the control notice; delivery picks the change up on its next refresh",
                metadata: ["webhook_id": "\(webhook.id)", "change": "\(change.rawValue)", "error": "\(error)"])
        }
    }

    /// Announces a webhook change that tenants may subscribe to (`OperationalEvents`) as an event
    /// on `webhooks.events`, after it is committed.
    func announce(_ event: Event) async {
        await OperationalEventPublisher(connection: connection, logger: logger).publish(event)
    }

    static func millis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// Hands tasks to delivery: one `TaskMessage` per task on `webhooks.tasks` (routing key `deliver`).
struct TaskQueue: Sendable {
    let connection: any MessagePublisher

    /// Publishes a manual retry of task `taskID` (a `TaskMessage` without a version: delivery
    /// accepts it while the task waits for a retry); returns once the broker confirmed it.
    func enqueue(taskID: Int64) async throws(AMQPError) {
        let task = TaskMessage(taskID: taskID, version: nil)
        let message = AMQPMessage(body: task.body, messageID: "task-\(taskID)-\(ControlNotifier.millis())", contentType: "application/json")
        try await connection.publish(exchange: WebhookTopology.tasksExchange, routingKey: WebhookTopology.deliverRoutingKey, message: message)
    }

    /// Publishes a task a replay or recovery job scheduled, with its schedule version (a message of
    /// an earlier version is dropped by delivery); returns once the broker confirmed it.
    func enqueue(_ task: TaskMessage) async throws(AMQPError) {
        let message = AMQPMessage(
            body: task.body, messageID: "task-\(task.taskID)-v\(task.version.map(String.init) ?? "m")", contentType: "application/json")
        try await connection.publish(exchange: WebhookTopology.tasksExchange, routingKey: WebhookTopology.deliverRoutingKey, message: message)
    }
}
