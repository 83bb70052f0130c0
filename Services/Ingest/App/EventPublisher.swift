import Foundation
import Messaging
import WebhookCore

/// Hands a request's validated events to the broker; `EventPublisher` is the real one, tests record
/// the events instead.
public protocol EventPublishing: Sendable {
    /// Publishes every event of a request at once (`body` is `event.messageBody`); returns, once the
    /// broker answered, each event's outcome in order.
    func publish(_ events: [(event: Event, body: [UInt8])]) async -> [Result<Void, AMQPError>]
}

/// Publishes events to the events exchange with the message contract's properties: a request's
/// events as one batch message, a single event as a single-event message.
public struct EventPublisher: EventPublishing {
    let connection: any MessagePublisher
    /// Whether a multi-event request travels as one batch message (`INGEST_BATCH_MESSAGES`).
    let batchMessages: Bool

    /// - Parameters:
    ///   - connection: the AMQP connection to publish on.
    ///   - batchMessages: publish a multi-event request as one batch message, not one message per event.
    public init(connection: any MessagePublisher, batchMessages: Bool) {
        self.connection = connection
        self.batchMessages = batchMessages
    }

    /// Publishes every event of a request at once (`body` is `event.messageBody`); returns, once the
    /// broker answered, each event's outcome in order (the same for all when they travel as one batch).
    public func publish(_ events: [(event: Event, body: [UInt8])]) async -> [Result<Void, AMQPError>] {
        let acceptedAt = Self.acceptedAt()
        if batchMessages && events.count > 1 {
            let outcome: Result<Void, AMQPError>
            do throws(AMQPError) {
                try await connection.publish(
                    exchange: WebhookTopology.eventsExchange, routingKey: WebhookTopology.batchRoutingKey,
                    message: Self.batch(events, acceptedAt: acceptedAt))
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            return Array(repeating: outcome, count: events.count)
        }
        return await connection.publish(
            exchange: WebhookTopology.eventsExchange,
            batch: events.map {
                (routingKey: $0.event.type, message: Self.message($0.event, body: $0.body, acceptedAt: acceptedAt))
            })
    }

    /// Milliseconds since the epoch, for the `x-accepted-at` header (delivery's queue-lag metric).
    private static func acceptedAt() -> String { String(Int64(Date().timeIntervalSince1970 * 1000)) }

    private static func message(_ event: Event, body: [UInt8], acceptedAt: String) -> AMQPMessage {
        AMQPMessage(
            body: body, messageID: event.id, type: event.type, contentType: "application/json",
            headers: [WebhookTopology.acceptedAtHeader: acceptedAt])
    }

    /// One message for all `events` (see the README's "RabbitMQ contract").
    static func batch(_ events: [(event: Event, body: [UInt8])], acceptedAt: String) -> AMQPMessage {
        AMQPMessage(
            body: EventBatch.encode(events.map(\.body)), messageID: EventBatch.messageID(for: events.map(\.event.key)),
            type: WebhookTopology.batchMessageType, contentType: WebhookTopology.batchContentType,
            headers: [WebhookTopology.acceptedAtHeader: acceptedAt, WebhookTopology.eventCountHeader: String(events.count)])
    }
}
