import Hummingbird
import Prometheus
import ServiceKit

/// The registry's HTTP API over `dependencies`: middleware, then the routes of every dialect, each
/// through the service layer. Connects nothing and starts nothing, so tests drive it with
/// in-memory stores (`app.test(.router)`); `buildRegistry` wires it to PostgreSQL and RabbitMQ.
/// - Parameter dependencies: stores, broker, outbound client and token keys.
public func buildRouter(_ dependencies: RegistryDependencies) -> Router<AppRequestContext> {
    let d = dependencies
    let passwords = PasswordHasher()
    let accounts = AccountService(users: d.users, passwords: passwords)
    let webhooks = WebhookService(webhooks: d.webhooks, notifier: ControlNotifier(connection: d.broker, logger: d.logger), logger: d.logger)
    let tasks = TaskService(tasks: d.tasks, queue: TaskQueue(connection: d.broker), logger: d.logger)
    let logs = AttemptLogService(logs: d.attempts)
    let tester = WebhookTester(client: d.outbound, connectTimeout: d.connectTimeout, requestTimeout: d.requestTimeout)
    let testSends = TestSendService(tester: tester, logs: d.attempts, logger: d.logger)
    let sessionCheck = PortalSessionCheck(sessions: d.portalSessions)
    let portals = PortalSessionService(sessions: d.portalSessions, check: sessionCheck, tokens: d.tokens, logger: d.logger)

    let registry = PrometheusCollectorRegistry()
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: ErrorEnvelopeMiddleware(style: Dialect.errorStyle(for:)))
    router.add(middleware: RequestLogMiddleware(metrics: HTTPMetrics(registry: registry)))
    let publicPaths = HealthRoutes.paths.union(AuthController.publicPaths).union(DocsRoutes.paths).union(ConsoleRoutes.paths)
    router.add(
        middleware: AuthMiddleware(tokens: d.tokens, publicPaths: publicPaths, publicPrefixes: [ConsoleRoutes.prefix], sessions: sessionCheck))
    router.add(middleware: ParameterTextMiddleware())
    HealthRoutes.add(to: router, ready: d.readiness)
    MetricsRoute.add(to: router, registry: registry)
    DocsRoutes().addRoutes(to: router)
    ConsoleRoutes().addRoutes(to: router)
    AuthController(accounts: accounts, tokens: d.tokens).addRoutes(to: router)
    AccountRoutes(accounts: accounts, tokens: d.tokens).addRoutes(to: router)
    PortalSessionRoutes(portals: portals).addRoutes(to: router)
    PatternRoutes().addRoutes(to: router)
    CanonicalWebhookRoutes(webhooks: webhooks, tasks: tasks, logs: logs, testSends: testSends).addRoutes(to: router)
    CanonicalTaskRoutes(webhooks: webhooks, tasks: tasks, logs: logs).addRoutes(to: router)
    EventTypeRoutes(eventTypes: EventTypeService(eventTypes: d.eventTypes, logger: d.logger)).addRoutes(to: router)
    CanonicalJobRoutes(jobs: JobService(jobs: d.jobs, webhooks: webhooks, logger: d.logger)).addRoutes(to: router)
    let tenantQuery = TenantQueryRoutes(webhooks: webhooks, tasks: tasks)
    let fastAPIStyle = FastAPIStyleRoutes(webhooks: webhooks, logs: logs, testSends: testSends)
    WebhookCollectionRoutes(tenantQuery: tenantQuery, fastAPIStyle: fastAPIStyle).addRoutes(to: router)
    tenantQuery.addRoutes(to: router)
    fastAPIStyle.addRoutes(to: router)
    BkRepoRoutes(webhooks: webhooks, tasks: tasks, logs: logs, testSends: testSends).addRoutes(to: router)
    return router
}
