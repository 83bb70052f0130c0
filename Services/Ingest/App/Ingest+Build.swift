import Hummingbird
import Logging
import Messaging
import ServiceKit
import Storage

/// Builds ingest: the AMQP connection (a service) and the HTTP API over it (`buildIngestRouter`); in
/// strict catalogue mode also the PostgreSQL client and the catalogue's refresher (services too).
/// - Parameters:
///   - configuration: settings.
///   - logger: the service's logger.
///   - onServerRunning: called with the bound port (tests bind port 0).
public func buildIngest(
    configuration: IngestConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: configuration.amqpURL), logger: logger)
    let tokens = await TokenService(secret: configuration.jwtSecret)
    let catalogue = IngestCatalogue()
    // Open mode never connects to PostgreSQL.
    let database = try configuration.databaseURL.map { try Database(url: $0, logger: logger, maximumConnections: 2) }
    let strict = configuration.strictCatalogue
    let router = buildIngestRouter(
        configuration: configuration, publisher: EventPublisher(connection: amqp, batchMessages: configuration.batchMessages),
        tokens: tokens,
        readiness: {
            if !amqp.isReady { return "broker" }
            return strict && !catalogue.isLoaded ? "catalogue" : nil
        }, catalogue: catalogue)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "webhooks-ingest"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
    app.addServices(amqp)
    if strict, let database {
        app.addServices(
            database.client,
            CatalogueRefresher(
                catalogue: catalogue, load: CatalogueRefresher.loader(database.eventTypes), interval: configuration.catalogueRefresh,
                logger: logger))
    }
    return app
}
