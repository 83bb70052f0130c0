import ServiceKit

/// The registry's settings, from the environment.
public struct RegistryConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var databaseURL: String
    public var jwtSecret: String
    public var adminUsername: String
    public var adminPassword: String

    public init(host: String = "127.0.0.1", port: Int = 8080, databaseURL: String, jwtSecret: String, adminUsername: String, adminPassword: String) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.jwtSecret = jwtSecret
        self.adminUsername = adminUsername
        self.adminPassword = adminPassword
    }

    /// Reads `DATABASE_URL`, `JWT_SECRET`, `ADMIN_USERNAME`, `ADMIN_PASSWORD`, `REGISTRY_PORT` (8080)
    /// and `BIND_ADDRESS` (0.0.0.0).
    public init(environment: Environment) throws {
        self.init(
            host: environment.string("BIND_ADDRESS", default: "0.0.0.0"),
            port: try environment.int("REGISTRY_PORT", default: 8080, in: 0...65535),
            databaseURL: try environment.required("DATABASE_URL"),
            jwtSecret: try environment.jwtSecret(),
            adminUsername: try environment.required("ADMIN_USERNAME"),
            adminPassword: try environment.required("ADMIN_PASSWORD"))
    }
}
