import Foundation
import Messaging
import WebhookCore

/// Publishes events to the events exchange with the message contract's properties.
public struct EventPublisher: Sendable {
    let connection: AMQPConnection

    public init(connection: AMQPConnection) {
        self.connection = connection
    }

    /// Publishes every event of a request at once (`body` is `event.messageBody`); returns, once the
    /// broker answered for all of them, each event's outcome in order.
    public func publish(_ events: [(event: Event, body: [UInt8])]) async -> [Result<Void, AMQPError>] {
        let acceptedAt = Self.acceptedAt()
        return await connection.publish(exchange: WebhookTopology.eventsExchange, batch: events.map {
            (routingKey: $0.event.type, message: Self.message($0.event, body: $0.body, acceptedAt: acceptedAt))
        })
    }

    /// Milliseconds since the epoch, for the `x-accepted-at` header (delivery's queue-lag metric).
    private static func acceptedAt() -> String { String(Int64(Date().timeIntervalSince1970 * 1000)) }

    private static func message(_ event: Event, body: [UInt8], acceptedAt: String) -> AMQPMessage {
        AMQPMessage(body: body, messageID: event.id, type: event.type, contentType: "application/json",
                    headers: [WebhookTopology.acceptedAtHeader: acceptedAt])
    }
}
