/// A messaging failure. `code` is stable; `message` says what happened.
public struct AMQPError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure.
    public enum Code: String, Sendable {
        /// The connection is down (the broker is unreachable); try again later.
        case notConnected = "amqp_not_connected"
        /// The connection dropped before the broker confirmed.
        case connectionLost = "amqp_connection_lost"
        /// The broker refused the message (negative confirm).
        case nacked = "amqp_nacked"
        /// The broker blocked publishing (resource alarm).
        case blocked = "amqp_blocked"
        /// The connection is closing.
        case shutdown = "amqp_shutdown"
        /// The broker or the library reported an error.
        case protocolError = "amqp_protocol_error"
        /// A setting is malformed.
        case invalidConfiguration = "amqp_invalid_configuration"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
