import ServiceKit

/// Delivery's settings, from the environment.
public struct DeliveryConfiguration: Sendable {
    public var host: String
    /// Port of the health and metrics endpoints.
    public var port: Int
    public var databaseURL: String
    public var amqpURL: String
    /// Lets webhooks reach private, loopback and link-local addresses (local runs and tests only).
    public var allowPrivateNetworks: Bool
    /// CIDR ranges reachable even with the guard on, e.g. an internal receiver's subnet.
    public var allowedNetworks: [String]
    /// Events processed at once (unacknowledged messages held).
    public var prefetch: Int
    public var connectTimeoutSeconds: Int
    public var requestTimeoutSeconds: Int

    public init(host: String = "127.0.0.1", port: Int = 8082, databaseURL: String, amqpURL: String,
                allowPrivateNetworks: Bool = false, allowedNetworks: [String] = [], prefetch: Int = 64,
                connectTimeoutSeconds: Int = 10, requestTimeoutSeconds: Int = 30) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.amqpURL = amqpURL
        self.allowPrivateNetworks = allowPrivateNetworks
        self.allowedNetworks = allowedNetworks
        self.prefetch = prefetch
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }

    /// Reads `DATABASE_URL`, `AMQP_URL`, `DELIVERY_PORT` (8082), `BIND_ADDRESS`,
    /// `DELIVERY_ALLOW_PRIVATE_NETWORKS` (false), `DELIVERY_ALLOWED_NETWORKS` (comma-separated CIDRs),
    /// `DELIVERY_PREFETCH` (64), `DELIVERY_CONNECT_TIMEOUT` (10 s), `DELIVERY_REQUEST_TIMEOUT` (30 s).
    public init(environment: Environment) throws {
        self.init(
            host: environment.string("BIND_ADDRESS", default: "0.0.0.0"),
            port: try environment.int("DELIVERY_PORT", default: 8082, in: 0...65535),
            databaseURL: try environment.required("DATABASE_URL"),
            amqpURL: try environment.required("AMQP_URL"),
            allowPrivateNetworks: try environment.bool("DELIVERY_ALLOW_PRIVATE_NETWORKS", default: false),
            allowedNetworks: (environment.optional("DELIVERY_ALLOWED_NETWORKS") ?? "")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            prefetch: try environment.int("DELIVERY_PREFETCH", default: 64, in: 1...10_000),
            connectTimeoutSeconds: try environment.int("DELIVERY_CONNECT_TIMEOUT", default: 10, in: 1...120),
            requestTimeoutSeconds: try environment.int("DELIVERY_REQUEST_TIMEOUT", default: 30, in: 1...300))
    }
}

import Foundation
