import Messaging

/// A broker stand-in: keeps every message it is asked to publish and confirms it, or refuses
/// everything with `failure` (a broker outage).
public actor RecordingPublisher: MessagePublisher {
    /// One published message and where it went.
    public struct Published: Sendable, Equatable {
        public let exchange: String
        public let routingKey: String
        public let message: AMQPMessage
    }

    /// Every confirmed message, in order.
    public private(set) var published: [Published] = []
    var failure: AMQPError?

    public init() {}

    /// Refuses every later publish with `error` (`nil`: confirm again).
    public func setFailure(_ error: AMQPError?) { failure = error }

    /// The confirmed messages published to `exchange`.
    public func messages(on exchange: String) -> [Published] { published.filter { $0.exchange == exchange } }

    public func publish(exchange: String, routingKey: String, message: AMQPMessage) async throws(AMQPError) {
        if let failure { throw failure }
        published.append(Published(exchange: exchange, routingKey: routingKey, message: message))
    }

    public func publish(exchange: String, batch: [(routingKey: String, message: AMQPMessage)]) async -> [Result<Void, AMQPError>] {
        var outcomes: [Result<Void, AMQPError>] = []
        for item in batch {
            if let failure {
                outcomes.append(.failure(failure))
            } else {
                published.append(Published(exchange: exchange, routingKey: item.routingKey, message: item.message))
                outcomes.append(.success(()))
            }
        }
        return outcomes
    }
}
