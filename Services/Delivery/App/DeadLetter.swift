import Logging
import Messaging
import WebhookCore

/// Moves messages that cannot be processed to `webhooks.dead` with the reason in a header, then
/// acknowledges the original: nothing is dropped silently and a poison message never loops.
struct DeadLetter: Sendable {
    let connection: AMQPConnection
    let metrics: DeliveryMetrics
    let logger: Logger

    /// Decodes the delivery's body; a body that does not decode is dead-lettered with the reason.
    func decode<Value>(_ delivery: AMQPDelivery, _ decoder: ([UInt8]) throws(EventValidationError) -> Value) async -> Value? {
        do throws(EventValidationError) {
            return try decoder(delivery.message.body)
        } catch {
            await send(delivery, reason: error.description)
            return nil
        }
    }

    func send(_ delivery: AMQPDelivery, reason: String) async {
        var message = delivery.message
        message.headers[WebhookTopology.deadReasonHeader] = reason
        message.headers[WebhookTopology.originalExchangeHeader] = delivery.exchange
        message.headers[WebhookTopology.originalRoutingKeyHeader] = delivery.routingKey
        message.persistent = true
        do {
            try await connection.publish(exchange: WebhookTopology.deadExchange, routingKey: delivery.routingKey, message: message)
            connection.ack(delivery)
            metrics.deadLettered(exchange: delivery.exchange)
            logger.warning("dead-lettered a message", metadata: ["reason": "\(reason)", "routing_key": "\(delivery.routingKey)"])
        } catch {
            // Not stored in the dead-letter queue: hand it back so it is neither lost nor acked.
            logger.error("could not dead-letter a message; returning it to the queue", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            connection.reject(delivery, requeue: true)
        }
    }

    /// Dead-letters one bad event of a batch alone, as a single-event message carrying its line,
    /// the reason, and the batch's message id and the event's index; returns once the broker
    /// confirmed it. The batch itself is settled by the caller.
    /// - Throws: `AMQPError` when the broker did not confirm (the caller hands the batch back).
    func send(_ item: EventBatch.Item, of delivery: AMQPDelivery, reason: String) async throws(AMQPError) {
        var headers = [
            WebhookTopology.deadReasonHeader: reason,
            WebhookTopology.originalExchangeHeader: delivery.exchange,
            WebhookTopology.originalRoutingKeyHeader: delivery.routingKey,
            WebhookTopology.batchIndexHeader: String(item.index),
        ]
        headers[WebhookTopology.batchMessageIDHeader] = delivery.message.messageID
        headers[WebhookTopology.acceptedAtHeader] = delivery.message.headers[WebhookTopology.acceptedAtHeader]
        let message = AMQPMessage(body: item.body, contentType: "application/json", headers: headers)
        try await connection.publish(exchange: WebhookTopology.deadExchange, routingKey: delivery.routingKey, message: message)
        metrics.deadLettered(exchange: delivery.exchange)
        logger.warning(
            "dead-lettered one event of a batch",
            metadata: [
                "reason": "\(reason)", "message_id": "\(delivery.message.messageID ?? "")", "index": "\(item.index)",
            ])
    }
}
