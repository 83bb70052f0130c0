import Hummingbird
import Logging
import Messaging
import Outbound
import Prometheus
import ServiceKit
import Storage
import WebhookCore

/// Builds the registry: migrations, the bootstrap admin, routes of every dialect and services.
/// - Parameters:
///   - configuration: settings.
///   - logger: the service's logger.
///   - onServerRunning: called with the bound port (tests bind port 0).
public func buildRegistry(
    configuration: RegistryConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let database = try Database(url: configuration.databaseURL, logger: logger)
    let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: configuration.amqpURL), logger: logger)
    let policy = try AddressPolicy.configured(allowPrivateNetworks: configuration.allowPrivateNetworks, allowedNetworks: configuration.allowedNetworks)
    let outbound = OutboundClient(policy: policy, userAgent: WebhookRequest.userAgent)
    let tokens = await TokenService(secret: configuration.jwtSecret)
    let passwords = PasswordHasher()

    let webhooks = WebhookService(webhooks: database.webhooks, notifier: ControlNotifier(connection: amqp, logger: logger), logger: logger)
    let tasks = TaskService(tasks: TaskStore(client: database.client, logger: logger), queue: TaskQueue(connection: amqp), logger: logger)
    let logs = AttemptLogStore(client: database.client, logger: logger)
    let tester = WebhookTester(client: outbound, connectTimeout: .seconds(configuration.connectTimeoutSeconds),
                               requestTimeout: .seconds(configuration.requestTimeoutSeconds))
    let testSends = TestSendService(tester: tester, logs: logs, logger: logger)

    let registry = PrometheusCollectorRegistry()
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: ErrorEnvelopeMiddleware(style: Dialect.errorStyle(for:)))
    router.add(middleware: RequestLogMiddleware(metrics: HTTPMetrics(registry: registry)))
    router.add(middleware: AuthMiddleware(tokens: tokens, publicPaths: HealthRoutes.paths.union(AuthController.publicPaths).union(DocsRoutes.paths)))
    router.add(middleware: ParameterTextMiddleware())
    HealthRoutes.add(to: router) { await database.ping() ? nil : "database" }
    MetricsRoute.add(to: router, registry: registry)
    DocsRoutes().addRoutes(to: router)
    AuthController(users: database.users, tokens: tokens, passwords: passwords).addRoutes(to: router)
    AccountRoutes(users: database.users, tokens: tokens, passwords: passwords).addRoutes(to: router)
    CanonicalWebhookRoutes(webhooks: webhooks, tasks: tasks, logs: logs, testSends: testSends).addRoutes(to: router)
    CanonicalTaskRoutes(webhooks: webhooks, tasks: tasks, logs: logs).addRoutes(to: router)
    let tenantQuery = TenantQueryRoutes(webhooks: webhooks, tasks: tasks)
    let fastAPIStyle = FastAPIStyleRoutes(webhooks: webhooks, logs: logs, testSends: testSends)
    WebhookCollectionRoutes(tenantQuery: tenantQuery, fastAPIStyle: fastAPIStyle).addRoutes(to: router)
    tenantQuery.addRoutes(to: router)
    fastAPIStyle.addRoutes(to: router)
    BkRepoRoutes(webhooks: webhooks, tasks: tasks, logs: logs, testSends: testSends).addRoutes(to: router)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "webhooks-registry"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
    // Shutdown runs in reverse: HTTP stops first, then the clients it uses.
    app.addServices(database.client, amqp, OutboundClientService(client: outbound))
    app.beforeServerStarts {
        try await database.migrate()
        // Changes still commit while the broker is away; waiting a little here only avoids logging
        // a lost notice for requests that arrive in the first milliseconds.
        if !(await amqp.waitUntilConnected(timeout: .seconds(10))) {
            logger.warning("the message broker is not reachable yet; control notices and retries wait for it")
        }
        let hash = try await passwords.hash(configuration.adminPassword)
        if try await database.users.createIfMissing(username: configuration.adminUsername, passwordHash: hash, role: Role.admin.rawValue, tenantId: nil) {
            logger.info("created the bootstrap admin", metadata: ["username": "\(configuration.adminUsername)"])
        }
    }
    return app
}
