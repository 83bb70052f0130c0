import Foundation
import Messaging
import WebhookCore

/// Puts task messages on the broker: into `webhooks.tasks` to be attempted now, or into the retry
/// tier that releases them after a delay. Returns once the broker confirmed.
struct RetryScheduler: Sendable {
    let connection: AMQPConnection

    /// Header with the due time (Unix milliseconds), for diagnostics.
    static let dueHeader = "x-due-at"

    /// Sends `message` to be attempted after `delay` (at once when `nil` or not positive).
    func schedule(_ message: TaskMessage, after delay: Duration?) async throws(AMQPError) {
        let amqp = AMQPMessage(
            body: message.body, messageID: "task-\(message.taskID)-v\(message.version.map(String.init) ?? "m")",
            type: "task", headers: [Self.dueHeader: String(Int64(Date().timeIntervalSince1970 * 1000) + (delay.map(Self.milliseconds) ?? 0))])
        if let delay, delay > .milliseconds(500) {
            // The default exchange routes by queue name.
            try await connection.publish(exchange: "", routingKey: WebhookTopology.retryQueue(for: delay), message: amqp)
        } else {
            try await connection.publish(exchange: WebhookTopology.tasksExchange, routingKey: WebhookTopology.deliverRoutingKey, message: amqp)
        }
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }
}
