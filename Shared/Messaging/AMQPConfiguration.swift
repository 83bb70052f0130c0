import Foundation

/// Where and how to reach the broker, read from an `amqp://user:pass@host:port/vhost` URL.
public struct AMQPConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String
    /// Heartbeat interval in seconds (0 disables).
    public var heartbeat: Int
    /// Most publishes awaiting a broker confirm at once; more wait their turn.
    public var confirmWindow: Int

    public init(
        host: String = "127.0.0.1", port: Int = 5672, user: String = "guest", password: String = "guest",
        virtualHost: String = "/", heartbeat: Int = 30, confirmWindow: Int = 1000
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.virtualHost = virtualHost
        self.heartbeat = heartbeat
        self.confirmWindow = confirmWindow
    }

    /// Parses an AMQP URL; the vhost is the percent-decoded path (`/%2f` or an empty path mean `/`).
    public init(url: String) throws(AMQPError) {
        guard let components = URLComponents(string: url), components.scheme == "amqp", let host = components.host, !host.isEmpty else {
            throw AMQPError(.invalidConfiguration, "AMQP_URL must look like amqp://user:password@host:5672/vhost")
        }
        self.init(
            host: host, port: components.port ?? 5672,
            user: components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "guest",
            password: components.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? "guest")
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            virtualHost = "/"
        } else {
            virtualHost = String(path.dropFirst()).removingPercentEncoding ?? "/"
        }
    }
}
