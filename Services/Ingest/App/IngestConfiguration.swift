import ServiceKit

/// Ingest's settings, from the environment.
public struct IngestConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var amqpURL: String
    public var jwtSecret: String
    /// Most events in one request.
    public var maximumBatchSize: Int
    /// Largest event, in bytes of its canonical JSON.
    public var maximumEventBytes: Int
    /// Largest request body.
    public var maximumRequestBytes: Int
    /// Accept only the event types of the catalogue (`GET /api/v1/event-types`), each event's `data`
    /// checked against its type's schema, or any valid type.
    public var strictCatalogue = false
    /// PostgreSQL, where strict mode reads the catalogue (`nil` in open mode: never connected).
    public var databaseURL: String?
    /// How often strict mode reloads the catalogue.
    public var catalogueRefresh: Duration = .seconds(10)
    /// Publish a multi-event request as one batch message instead of one message per event.
    public var batchMessages = true

    public init(
        host: String = "127.0.0.1", port: Int = 8081, amqpURL: String, jwtSecret: String,
        maximumBatchSize: Int = 500, maximumEventBytes: Int = 256 << 10, maximumRequestBytes: Int = 5 << 20
    ) {
        self.host = host
        self.port = port
        self.amqpURL = amqpURL
        self.jwtSecret = jwtSecret
        self.maximumBatchSize = maximumBatchSize
        self.maximumEventBytes = maximumEventBytes
        self.maximumRequestBytes = maximumRequestBytes
    }

    /// Reads `AMQP_URL`, `JWT_SECRET`, `INGEST_PORT` (8081), `BIND_ADDRESS`, `INGEST_MAX_BATCH` (500),
    /// `INGEST_MAX_EVENT_BYTES` (262144), `INGEST_MAX_REQUEST_BYTES` (5 MiB), `INGEST_CATALOGUE` (`open`, or `strict`: only catalogue types) and
    /// `INGEST_BATCH_MESSAGES` (true: batch messages for a multi-event request; false: one message per event).
    /// In strict mode also `DATABASE_URL` (required) and `INGEST_CATALOGUE_REFRESH_SECONDS` (10, 1 to 3600).
    public init(environment: Environment) throws {
        self.init(
            host: environment.string("BIND_ADDRESS", default: "0.0.0.0"),
            port: try environment.int("INGEST_PORT", default: 8081, in: 0...65535),
            amqpURL: try environment.required("AMQP_URL"),
            jwtSecret: try environment.jwtSecret(),
            maximumBatchSize: try environment.int("INGEST_MAX_BATCH", default: 500, in: 1...10_000),
            maximumEventBytes: try environment.int("INGEST_MAX_EVENT_BYTES", default: 256 << 10, in: 1024...(16 << 20)),
            maximumRequestBytes: try environment.int("INGEST_MAX_REQUEST_BYTES", default: 5 << 20, in: 1024...(64 << 20)))
        switch environment.string("INGEST_CATALOGUE", default: "open") {
        case "open": strictCatalogue = false
        case "strict":
            strictCatalogue = true
            databaseURL = try environment.required("DATABASE_URL")
            catalogueRefresh = .seconds(try environment.int("INGEST_CATALOGUE_REFRESH_SECONDS", default: 10, in: 1...3600))
        case let other: throw ConfigurationError(name: "INGEST_CATALOGUE", problem: "must be 'open' or 'strict', got '\(other)'")
        }
        batchMessages = try environment.bool("INGEST_BATCH_MESSAGES", default: true)
    }
}
