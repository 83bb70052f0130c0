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
    /// Whether a multi-event request travels as batch messages (`INGEST_BATCH_MESSAGES`).
    let batchMessages: Bool

    /// Largest body of one batch message: a request with more is split into several, each under it
    /// (an event at least this large travels alone). It bounds what delivery holds per unacknowledged
    /// message, far below RabbitMQ's own message size limit.
    public static let maximumBatchBytes = 256 << 10

    /// - Parameters:
    ///   - connection: the AMQP connection to publish on.
    ///   - batchMessages: publish a multi-event request as one batch message, not one message per event.
    public init(connection: any MessagePublisher, batchMessages: Bool) {
        self.connection = connection
        self.batchMessages = batchMessages
    }

    /// Publishes every event of a request at once (`body` is `event.messageBody`); returns, once the
    /// broker answered, each event's outcome in order (the same for all events of one batch message).
    public func publish(_ events: [(event: Event, body: [UInt8])]) async -> [Result<Void, AMQPError>] {
        let acceptedAt = Self.acceptedAt()
        if batchMessages && events.count > 1 {
            let parts = Self.batchRanges(sizes: events.map { $0.body.count + 1 }, limit: Self.maximumBatchBytes)
            var outcomes = [Result<Void, AMQPError>](repeating: .success(()), count: events.count)
            await withTaskGroup(of: (Range<Int>, Result<Void, AMQPError>).self) { group in
                for range in parts {
                    let part = Array(events[range])
                    group.addTask {
                        let message =
                            part.count == 1 ? Self.message(part[0].event, body: part[0].body, acceptedAt: acceptedAt) : Self.batch(part, acceptedAt: acceptedAt)
                        let routingKey = part.count == 1 ? part[0].event.type : WebhookTopology.batchRoutingKey
                        do throws(AMQPError) {
                            try await connection.publish(exchange: WebhookTopology.eventsExchange, routingKey: routingKey, message: message)
                            return (range, .success(()))
                        } catch {
                            return (range, .failure(error))
                        }
                    }
                }
                for await (range, outcome) in group {
                    for index in range { outcomes[index] = outcome }
                }
            }
            return outcomes
        }
        return await connection.publish(
            exchange: WebhookTopology.eventsExchange,
            batch: events.map {
                (routingKey: $0.event.type, message: Self.message($0.event, body: $0.body, acceptedAt: acceptedAt))
            })
    }

    /// Consecutive ranges of events (by their `sizes` in bytes) whose sizes add up to at most `limit`;
    /// an event of `limit` or more is a range of its own. Every event is in exactly one range, in order.
    public static func batchRanges(sizes: [Int], limit: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var total = 0
        for (index, size) in sizes.enumerated() {
            if index > start && total + size > limit {
                ranges.append(start..<index)
                start = index
                total = 0
            }
            total += size
        }
        if start < sizes.count { ranges.append(start..<sizes.count) }
        return ranges
    }

    /// Milliseconds since the epoch, for the `x-accepted-at` header (delivery's queue-lag metric).
    private static func acceptedAt() -> String { AMQPMessage.acceptedNow() }

    private static func message(_ event: Event, body: [UInt8], acceptedAt: String) -> AMQPMessage {
        .event(event, body: body, acceptedAt: acceptedAt)
    }

    /// One message for all `events` (see the README's "RabbitMQ contract").
    static func batch(_ events: [(event: Event, body: [UInt8])], acceptedAt: String) -> AMQPMessage {
        AMQPMessage(
            body: EventBatch.encode(events.map(\.body)), messageID: EventBatch.messageID(for: events.map(\.event.key)),
            type: WebhookTopology.batchMessageType, contentType: WebhookTopology.batchContentType,
            headers: [WebhookTopology.acceptedAtHeader: acceptedAt, WebhookTopology.eventCountHeader: String(events.count)])
    }
}
