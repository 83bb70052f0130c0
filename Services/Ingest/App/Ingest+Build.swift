import Hummingbird
import Logging
import Messaging
import ServiceKit

/// Builds ingest: the AMQP connection (a service) and the HTTP API over it (`buildIngestRouter`).
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
    let router = buildIngestRouter(
        configuration: configuration, publisher: EventPublisher(connection: amqp, batchMessages: configuration.batchMessages),
        tokens: tokens, readiness: { amqp.isReady ? nil : "broker" })

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "webhooks-ingest"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
    app.addServices(amqp)
    return app
}
