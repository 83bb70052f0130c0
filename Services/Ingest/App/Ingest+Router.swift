import Hummingbird
import Prometheus
import ServiceKit

/// Ingest's HTTP API: health, metrics and `POST /api/v1/events` over `publisher`. Connects nothing,
/// so tests drive it with a publisher that records the events (`app.test(.router)`).
/// - Parameters:
///   - configuration: the limits and the catalogue mode (its address and broker URL are not read).
///   - publisher: where accepted events go.
///   - tokens: verifies the bearer tokens.
///   - readiness: what `/readyz` reports (`nil`: ready).
///   - catalogue: the catalogue strict mode checks events against (default: the documented types,
///     without schemas); not used in open mode.
public func buildIngestRouter(
    configuration: IngestConfiguration, publisher: any EventPublishing, tokens: TokenService,
    readiness: @escaping @Sendable () async -> String? = { nil }, catalogue: IngestCatalogue? = nil
) -> Router<AppRequestContext> {
    let registry = PrometheusCollectorRegistry()
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: ErrorEnvelopeMiddleware { _ in .union })
    router.add(middleware: RequestLogMiddleware(metrics: HTTPMetrics(registry: registry)))
    router.add(middleware: AuthMiddleware(tokens: tokens, publicPaths: HealthRoutes.paths))
    HealthRoutes.add(to: router, ready: readiness)
    MetricsRoute.add(to: router, registry: registry)
    EventController(
        publisher: publisher, configuration: configuration, metrics: IngestMetrics(registry: registry),
        catalogue: configuration.strictCatalogue ? (catalogue ?? .documented) : nil
    )
    .addRoutes(to: router)
    return router
}
