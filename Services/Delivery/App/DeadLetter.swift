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
        message.headers["x-original-exchange"] = delivery.exchange
        message.headers["x-original-routing-key"] = delivery.routingKey
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
}
