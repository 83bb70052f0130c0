import Hummingbird
import Logging
import Messaging
import Prometheus
import ServiceKit

/// Builds ingest: the AMQP connection (a service) and the HTTP API.
public func buildIngest(
    configuration: IngestConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: configuration.amqpURL), logger: logger)
    let tokens = await TokenService(secret: configuration.jwtSecret)

    let registry = PrometheusCollectorRegistry()
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: ErrorEnvelopeMiddleware { _ in .union })
    router.add(middleware: RequestLogMiddleware(metrics: HTTPMetrics(registry: registry)))
    router.add(middleware: AuthMiddleware(tokens: tokens, publicPaths: HealthRoutes.paths))
    HealthRoutes.add(to: router) { amqp.isReady ? nil : "broker" }
    MetricsRoute.add(to: router, registry: registry)
    EventController(publisher: EventPublisher(connection: amqp, batchMessages: configuration.batchMessages), configuration: configuration, metrics: IngestMetrics(registry: registry))
        .addRoutes(to: router)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "webhooks-ingest"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
    app.addServices(amqp)
    return app
}
