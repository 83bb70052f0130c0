import Hummingbird
import Logging
import ServiceKit
import Storage

/// Builds the registry: migrations, the bootstrap admin, routes and services.
/// - Parameters:
///   - configuration: settings.
///   - logger: the service's logger.
///   - onServerRunning: called with the bound port (tests bind port 0).
public func buildRegistry(
    configuration: RegistryConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let database = try Database(url: configuration.databaseURL, logger: logger)
    let tokens = await TokenService(secret: configuration.jwtSecret)
    let passwords = PasswordHasher()

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: AuthMiddleware(tokens: tokens, publicPaths: HealthRoutes.paths.union(AuthController.publicPaths)))
    HealthRoutes.add(to: router) { await database.ping() ? nil : "database" }
    AuthController(users: database.users, tokens: tokens, passwords: passwords).addRoutes(to: router)
    WebhookController(webhooks: database.webhooks, deliveries: database.deliveries).addRoutes(to: router)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "webhooks-registry"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
    app.addServices(database.client)
    app.beforeServerStarts {
        try await database.migrate()
        let hash = try await passwords.hash(configuration.adminPassword)
        if try await database.users.createIfMissing(username: configuration.adminUsername, passwordHash: hash, role: Role.admin.rawValue, tenantId: nil) {
            logger.info("created the bootstrap admin", metadata: ["username": "\(configuration.adminUsername)"])
        }
    }
    return app
}
