import Hummingbird
import Logging
import Messaging
import Outbound
import ServiceKit
import Storage
import WebhookCore

/// Builds delivery: PostgreSQL and AMQP clients, the outbound HTTP client, the fan-out consumer,
/// and a small HTTP server for health.
public func buildDelivery(
    configuration: DeliveryConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let database = try Database(url: configuration.databaseURL, logger: logger)
    let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: configuration.amqpURL), logger: logger)
    let policy: AddressPolicy
    do {
        policy = try AddressPolicy(allowPrivateNetworks: configuration.allowPrivateNetworks, allowListStrings: configuration.allowedNetworks)
    } catch {
        throw ConfigurationError(name: "DELIVERY_ALLOWED_NETWORKS", problem: "holds an invalid CIDR range '\(error.text)'")
    }
    let client = OutboundClient(policy: policy, userAgent: WebhookRequest.userAgent)
    let dispatcher = Dispatcher(
        client: client, deliveries: database.deliveries, connectTimeout: .seconds(configuration.connectTimeoutSeconds),
        requestTimeout: .seconds(configuration.requestTimeoutSeconds), logger: logger)
    let consumer = FanoutConsumer(
        connection: amqp, database: database, dispatcher: dispatcher, deadLetter: DeadLetter(connection: amqp, logger: logger),
        prefetch: configuration.prefetch, logger: logger)
    if configuration.allowPrivateNetworks {
        logger.warning("DELIVERY_ALLOW_PRIVATE_NETWORKS is on: webhooks may reach private and loopback addresses")
    }

    let router = Router(context: AppRequestContext.self)
    HealthRoutes.add(to: router) {
        if !amqp.isReady { return "broker" }
        return await database.ping() ? nil : "database"
    }
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "webhooks-delivery"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
    // Shutdown runs in reverse: the consumer drains first, then the clients it uses stop.
    app.addServices(database.client, amqp, OutboundClientService(client: client), consumer)
    app.beforeServerStarts { try await database.migrate() }
    return app
}
