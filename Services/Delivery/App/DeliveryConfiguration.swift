import Foundation
import ServiceKit
import WebhookCore

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
    /// Messages held unacknowledged per consumer stage, and events the fan-out stage works on at
    /// once (a batch message holds many events: its events share this bound with all others).
    public var prefetch: Int
    public var connectTimeoutSeconds: Int
    public var requestTimeoutSeconds: Int
    /// Most requests in flight to one endpoint.
    public var endpointConcurrency: Int = 10
    /// Requests per second to one endpoint (0: unlimited).
    public var endpointRate: Int = 0
    /// Seconds between sweeps for overdue tasks.
    public var sweepIntervalSeconds: Int = 30
    /// Days delivery history (attempts, finished tasks, their events) is kept; 0 keeps it forever.
    public var retentionDays: Int = 30
    /// Batch message bodies the fan-out stage decodes and works on at once, in MiB; a larger
    /// message is taken alone.
    public var batchMemoryMB: Int = 8
    /// Memory budget of each tenant's resource-key pattern set, in MiB (`PatternBudget.setMemory`).
    public var patternSetMemoryMB: Int = 64
    /// Backoff between attempts (the standard schedule unless set).
    public var retrySchedule: [Duration] = RetryPolicy.schedule

    public init(
        host: String = "127.0.0.1", port: Int = 8082, databaseURL: String, amqpURL: String,
        allowPrivateNetworks: Bool = false, allowedNetworks: [String] = [], prefetch: Int = 64,
        connectTimeoutSeconds: Int = 10, requestTimeoutSeconds: Int = 30
    ) {
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
    /// `DELIVERY_PREFETCH` (64), `DELIVERY_CONNECT_TIMEOUT` (10 s), `DELIVERY_REQUEST_TIMEOUT` (30 s),
    /// `DELIVERY_ENDPOINT_CONCURRENCY` (10), `DELIVERY_ENDPOINT_RATE` (0 = unlimited),
    /// `DELIVERY_SWEEP_INTERVAL` (30 s), `DELIVERY_RETENTION_DAYS` (30; 0 = keep forever), `DELIVERY_RETRY_SCHEDULE` (seconds, e.g. `5,30,300,1800,7200,18000,36000`),
    /// `DELIVERY_PATTERN_SET_MEMORY_MB` (64: each tenant's pattern set), `DELIVERY_BATCH_MEMORY_MB`
    /// (8: batch message bodies in work at once).
    public init(environment: Environment) throws {
        let outbound = try environment.outboundSettings()
        self.init(
            host: environment.string("BIND_ADDRESS", default: "0.0.0.0"),
            port: try environment.int("DELIVERY_PORT", default: 8082, in: 0...65535),
            databaseURL: try environment.required("DATABASE_URL"),
            amqpURL: try environment.required("AMQP_URL"),
            allowPrivateNetworks: outbound.allowPrivateNetworks,
            allowedNetworks: outbound.allowedNetworks,
            prefetch: try environment.int("DELIVERY_PREFETCH", default: 64, in: 1...10_000),
            connectTimeoutSeconds: outbound.connectTimeoutSeconds,
            requestTimeoutSeconds: outbound.requestTimeoutSeconds)
        endpointConcurrency = try environment.int("DELIVERY_ENDPOINT_CONCURRENCY", default: 10, in: 1...1000)
        endpointRate = try environment.int("DELIVERY_ENDPOINT_RATE", default: 0, in: 0...100_000)
        sweepIntervalSeconds = try environment.int("DELIVERY_SWEEP_INTERVAL", default: 30, in: 1...3600)
        retentionDays = try environment.int("DELIVERY_RETENTION_DAYS", default: 30, in: 0...3650)
        patternSetMemoryMB = try environment.int("DELIVERY_PATTERN_SET_MEMORY_MB", default: 64, in: 1...4096)
        batchMemoryMB = try environment.int("DELIVERY_BATCH_MEMORY_MB", default: 8, in: 1...4096)
        if let text = environment.optional("DELIVERY_RETRY_SCHEDULE") {
            let delays = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !delays.isEmpty, delays.allSatisfy({ ($0 ?? -1) > 0 && ($0 ?? 0) <= 86_400 }) else {
                throw ConfigurationError(name: "DELIVERY_RETRY_SCHEDULE", problem: "must be comma-separated seconds between 0 and 86400, e.g. '5,30,300'")
            }
            retrySchedule = delays.map { .milliseconds(Int64($0! * 1000)) }
        }
    }
}
