/// Publishing with confirms, the one broker operation a service's request handlers need.
/// `AMQPConnection` is the real implementation; tests record the messages instead.
public protocol MessagePublisher: Sendable {
    /// Publishes `message` and returns once the broker confirmed it.
    /// - Throws: `AMQPError` when the message was not confirmed (it may then not have been stored).
    func publish(exchange: String, routingKey: String, message: AMQPMessage) async throws(AMQPError)

    /// Publishes every message of `batch` in order and returns each one's outcome, in order.
    func publish(exchange: String, batch: [(routingKey: String, message: AMQPMessage)]) async -> [Result<Void, AMQPError>]
}

extension AMQPConnection: MessagePublisher {}
