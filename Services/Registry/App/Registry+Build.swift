import Hummingbird
import Logging
import Messaging
import Outbound
import ServiceKit
import Storage
import WebhookCore

/// Builds the registry: the PostgreSQL client, the AMQP connection and the outbound client (as
/// services), the router over them (`buildRouter`), then migrations and the bootstrap admin before
/// the server starts.
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

    let jobs = JobStore(client: database.client, logger: logger)
    let router = buildRouter(
        RegistryDependencies(
            webhooks: database.webhooks, tasks: TaskStore(client: database.client, logger: logger),
            attempts: AttemptLogStore(client: database.client, logger: logger), users: database.users,
            portalSessions: database.portalSessions, eventTypes: database.eventTypes, jobs: jobs, broker: amqp, outbound: outbound,
            connectTimeout: .seconds(configuration.connectTimeoutSeconds), requestTimeout: .seconds(configuration.requestTimeoutSeconds),
            tokens: tokens, readiness: { await database.ping() ? nil : "database" }, logger: logger))

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "webhooks-registry"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
    // Shutdown runs in reverse: HTTP stops first, then the clients it uses.
    // The job runner stops first (it publishes through `amqp` and reads through `database`).
    let migrated = ReadyGate()
    app.addServices(database.client, amqp, OutboundClientService(client: outbound))
    if configuration.runsJobs {
        app.addServices(
            JobRunner(
                jobs: jobs, webhooks: database.webhooks, queue: TaskQueue(connection: amqp), ready: migrated, logger: logger,
                batchSize: configuration.jobBatchSize, window: configuration.jobWindow))
    }
    let accounts = AccountService(users: database.users, passwords: PasswordHasher())
    app.beforeServerStarts {
        try await database.migrate()
        await migrated.open()
        // Changes still commit while the broker is away; waiting a little here only avoids logging
        // a lost notice for requests that arrive in the first milliseconds.
        if !(await amqp.waitUntilConnected(timeout: .seconds(10))) {
            logger.warning("the message broker is not reachable yet; control notices and retries wait for it")
        }
        if try await accounts.createIfMissing(
            username: configuration.adminUsername, password: configuration.adminPassword,
            role: .admin, tenantId: nil)
        {
            logger.info("created the bootstrap admin", metadata: ["username": "\(configuration.adminUsername)"])
        }
    }
    return app
}
