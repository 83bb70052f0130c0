import Hummingbird
import Logging
import Messaging
import Outbound
import Prometheus
import ServiceKit
import ServiceLifecycle
import Storage
import WebhookCore

/// Builds delivery: PostgreSQL and AMQP clients, the outbound HTTP client, the subscription index,
/// the two consumer stages, the sweeper, the retention job, and a small HTTP server for health and metrics.
public func buildDelivery(
    configuration: DeliveryConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    // The fan-out stage's look-ups and writes and the attempt group commit run one batch at a time
    // each; two connections more are headroom for a call given up at its deadline that still holds
    // its connection.
    let database = try Database(url: configuration.databaseURL, logger: logger, batchConnections: 5)
    let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: configuration.amqpURL), logger: logger)
    let policy = try AddressPolicy.configured(allowPrivateNetworks: configuration.allowPrivateNetworks, allowedNetworks: configuration.allowedNetworks)
    if configuration.allowPrivateNetworks {
        logger.warning("DELIVERY_ALLOW_PRIVATE_NETWORKS is on: webhooks may reach private and loopback addresses")
    }
    let registry = PrometheusCollectorRegistry()
    let metrics = DeliveryMetrics(registry: registry)
    let client = OutboundClient(policy: policy, userAgent: WebhookRequest.userAgent)
    let cache = SubscriptionCache(
        store: database.subscriptions, logger: logger, patternSetMemory: Int64(configuration.patternSetMemoryMB) << 20,
        onPatternFallbacks: { metrics.setPatternFallbackTenants($0) })
    let gate = EndpointGate(maximumInFlight: configuration.endpointConcurrency, ratePerSecond: Double(configuration.endpointRate))
    let dispatcher = Dispatcher(
        client: client, connectTimeout: .seconds(configuration.connectTimeoutSeconds),
        requestTimeout: .seconds(configuration.requestTimeoutSeconds), retrySchedule: configuration.retrySchedule, metrics: metrics,
        logger: logger)
    let scheduler = RetryScheduler(connection: amqp)
    let finisher = TaskFinisher(
        recorder: AttemptRecorder(store: database.deliveries), scheduler: scheduler, cache: cache,
        operational: OperationalEventPublisher(connection: amqp, logger: logger), metrics: metrics, logger: logger)
    let deadLetter = DeadLetter(connection: amqp, metrics: metrics, logger: logger)
    let fanout = FanoutConsumer(
        connection: amqp, lookups: EventLookups(store: database.deliveries), writer: FanoutWriter(store: database.deliveries),
        store: database.deliveries, claims: EventClaims(), cache: cache, gate: gate, dispatcher: dispatcher, finisher: finisher,
        scheduler: scheduler, deadLetter: deadLetter, prefetch: configuration.prefetch, budget: WorkBudget(limit: configuration.prefetch),
        batchBytes: WorkBudget(limit: configuration.batchMemoryMB << 20),
        metrics: metrics, logger: logger)
    let tasks = TaskConsumer(
        connection: amqp, database: database, gate: gate, dispatcher: dispatcher, finisher: finisher, scheduler: scheduler,
        deadLetter: deadLetter, prefetch: configuration.prefetch, metrics: metrics, logger: logger)

    let router = Router(context: AppRequestContext.self)
    HealthRoutes.add(to: router) {
        if !amqp.isReady { return "broker" }
        if !cache.isLoaded { return "subscription index" }
        return await database.ping() ? nil : "database"
    }
    MetricsRoute.add(to: router, registry: registry) {
        metrics.setSubscriptions(cache.current.webhooks.count, syncedThrough: cache.syncedThrough)
    }
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "webhooks-delivery"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
    // Shutdown runs in reverse: the consumers drain first, then the clients they use stop.
    app.addServices(database.clients.map { $0 as any Service })
    app.addServices(
        amqp, OutboundClientService(client: client),
        ControlListener(connection: amqp, cache: cache, fullInterval: .seconds(60), logger: logger),
        Sweeper(database: database, scheduler: scheduler, interval: .seconds(configuration.sweepIntervalSeconds), logger: logger),
        tasks, fanout)
    // Always: the job also makes the attempt partitions of the days ahead.
    let historyClient = database.client
    app.addServices(
        RetentionJob(
            store: database.retention,
            partitions: { () async throws(StorageError) -> Int in try await AttemptPartitions.ensure(historyClient, logger: logger) },
            period: configuration.retentionDays > 0 ? .seconds(configuration.retentionDays * 86_400) : nil, logger: logger))
    app.beforeServerStarts {
        try await database.migrate()
        try await cache.reload()
    }
    return app
}
