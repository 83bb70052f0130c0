import Foundation
import Logging
import Messaging
import WebhookCore

/// Publishes "webhook changed" notices on `webhooks.control` so every delivery replica refreshes its
/// subscription index at once. A notice that cannot be published is logged, not fatal: the change is
/// already committed and delivery also refreshes periodically.
struct ControlNotifier: Sendable {
    enum Change: String { case created, updated, deleted }

    let connection: AMQPConnection
    let logger: Logger

    func notify(_ change: Change, _ webhook: Webhook) async {
        let body = CanonicalJSON.encode(.object([
            ("change", .string(change.rawValue)),
            ("tenant_id", .int(webhook.tenantId)),
            ("webhook_id", .int(webhook.id)),
        ]))
        let message = AMQPMessage(body: body, messageID: "webhook-\(webhook.id)-\(change.rawValue)-\(Self.millis())",
                                  type: "webhook.\(change.rawValue)", contentType: "application/json")
        do {
            try await connection.publish(exchange: WebhookTopology.controlExchange, routingKey: "", message: message)
        } catch {
            logger.warning("could not publish the control notice; delivery picks the change up on its next refresh",
                           metadata: ["webhook_id": "\(webhook.id)", "change": "\(change.rawValue)", "error": "\(error)"])
        }
    }

    static func millis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// Hands tasks to delivery: one message per task on `webhooks.tasks` (routing key `deliver`).
struct TaskQueue: Sendable {
    let connection: AMQPConnection

    /// Publishes `{"task_id": id}`; returns once the broker confirmed it.
    func enqueue(taskID: Int64) async throws(AMQPError) {
        let body = CanonicalJSON.encode(.object([("task_id", .int(taskID))]))
        let message = AMQPMessage(body: body, messageID: "task-\(taskID)-\(ControlNotifier.millis())", contentType: "application/json")
        try await connection.publish(exchange: WebhookTopology.tasksExchange, routingKey: WebhookTopology.deliverRoutingKey, message: message)
    }
}
