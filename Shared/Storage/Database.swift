import Logging
import PostgresNIO

/// The PostgreSQL client shared by a service's stores.
public struct Database: Sendable {
    /// The pooled client; run it as a service (`PostgresClient` is a `Service`).
    public let client: PostgresClient
    /// Connections of their own for the delivery engine's batch statements (see `BatchStatement`),
    /// when asked for; run it as a service too. Without it those statements go through `client`.
    public let batchClient: PostgresClient?
    let logger: Logger

    /// Connects lazily to `url` (`DATABASE_URL`).
    /// - Parameter batchConnections: connections of `batchClient` (0: none). The delivery engine
    ///   writes through one group commit for events and one for attempts, each one batch at a time.
    public init(url: String, logger: Logger, maximumConnections: Int = 20, batchConnections: Int = 0) throws {
        self.client = PostgresClient(
            configuration: try DatabaseConfiguration.client(url: url, maximumConnections: maximumConnections),
            backgroundLogger: logger)
        self.batchClient =
            batchConnections > 0
            ? PostgresClient(
                configuration: try DatabaseConfiguration.client(
                    url: url, maximumConnections: batchConnections,
                    settings: BatchPlanning.settings),
                backgroundLogger: logger)
            : nil
        self.logger = logger
    }

    /// The clients to run as services.
    public var clients: [PostgresClient] { [client] + (batchClient.map { [$0] } ?? []) }

    /// Applies pending migrations, retrying while the database is not reachable yet (up to `timeout`).
    public func migrate(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                // A lock or connection that never answers must not hold start-up silently forever.
                let client = self.client, logger = self.logger
                try await storage(deadline: .seconds(20)) { try await Migrator.migrate(client, logger: logger) }
                logger.info("database schema is up to date")
                return
            } catch {
                if ContinuousClock.now >= deadline { throw StorageError.from(error) }
                logger.warning("database not ready, retrying migrations", metadata: ["error": "\(String(reflecting: error))"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Whether PostgreSQL answers a trivial query, on the batch connections too when there are any.
    public func ping() async -> Bool {
        do {
            for client in clients { try await client.query("SELECT 1", logger: logger) }
            return true
        } catch {
            return false
        }
    }

    public var users: UserStore { UserStore(client: client, logger: logger) }
    public var portalSessions: PortalSessionStore { PortalSessionStore(client: client, logger: logger) }
    public var webhooks: WebhookStore { WebhookStore(client: client, logger: logger) }
    public var deliveries: DeliveryStore { DeliveryStore(client: client, batchClient: batchClient, logger: logger) }
    public var subscriptions: SubscriptionStore { SubscriptionStore(client: client, logger: logger) }
    public var retention: RetentionStore { RetentionStore(client: client, logger: logger) }
    public var eventTypes: EventTypeStore { EventTypeStore(client: client, logger: logger) }
}
