import Foundation
import Messaging
import WebhookCore

/// Publishes events to the events exchange with the message contract's properties.
public struct EventPublisher: Sendable {
    let connection: AMQPConnection

    public init(connection: AMQPConnection) {
        self.connection = connection
    }

    /// Publishes one event; returns once the broker confirmed it. `body` is `event.messageBody`
    /// when the caller already has it.
    public func publish(_ event: Event, body: [UInt8]? = nil) async throws(AMQPError) {
        let acceptedAt = String(Int64(Date().timeIntervalSince1970 * 1000))
        let message = AMQPMessage(body: body ?? event.messageBody, messageID: event.id, type: event.type, contentType: "application/json",
                                  headers: [WebhookTopology.acceptedAtHeader: acceptedAt])
        try await connection.publish(exchange: WebhookTopology.eventsExchange, routingKey: event.type, message: message)
    }
}
