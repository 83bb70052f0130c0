import Foundation
import Logging
import WebhookCore

extension AMQPMessage {
    /// A single-event message as the contract has it (see the README's "RabbitMQ contract"): the
    /// event's message body, its id as `message_id`, its type as `type`, and when it was accepted.
    /// - Parameters:
    ///   - body: `event.messageBody`, when the caller has made it already.
    ///   - acceptedAt: Unix milliseconds as text (`x-accepted-at`).
    public static func event(_ event: Event, body: [UInt8]? = nil, acceptedAt: String) -> AMQPMessage {
        AMQPMessage(
            body: body ?? event.messageBody, messageID: event.id, type: event.type, contentType: "application/json",
            headers: [WebhookTopology.acceptedAtHeader: acceptedAt])
    }

    /// Now, as `x-accepted-at` text (Unix milliseconds).
    public static func acceptedNow() -> String { String(Int64(Date().timeIntervalSince1970 * 1000)) }
}

/// Publishes the platform's operational events (`OperationalEvents`) into `webhooks.events`, routed
/// by type like any single event, once the change they announce is committed. One the broker does
/// not confirm is logged (`operational event not published`), not retried: the change itself stands.
public struct OperationalEventPublisher: Sendable {
    let connection: any MessagePublisher
    let logger: Logger

    public init(connection: any MessagePublisher, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Publishes `event` and waits for the broker's confirm.
    public func publish(_ event: Event) async {
        let metadata: Logger.Metadata = [
            "event_id": "\(event.id)", "type": "\(event.type)", "tenant_id": "\(event.tenantId.map(String.init) ?? "none")",
        ]
        do {
            try await connection.publish(
                exchange: WebhookTopology.eventsExchange, routingKey: event.type, message: .event(event, acceptedAt: AMQPMessage.acceptedNow()))
            logger.info("operational event published", metadata: metadata)
        } catch {
            logger.error("operational event not published", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
        }
    }
}
