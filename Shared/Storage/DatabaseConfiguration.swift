import Foundation
import PostgresNIO

/// Why the database settings are unusable.
public struct DatabaseConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// PostgreSQL settings from a `postgres://user:password@host:port/database` URL.
public enum DatabaseConfiguration {
    /// Parses `DATABASE_URL`. `sslmode=require` asks for TLS; anything else connects in plain text
    /// (loopback and private networks).
    /// - Parameter settings: server settings for every connection of the client, sent with the
    ///   start-up message (for example `("enable_seqscan", "off")`).
    public static func client(url: String, maximumConnections: Int = 20, settings: [(String, String)] = []) throws
        -> PostgresClient.Configuration
    {
        guard let c = URLComponents(string: url), c.scheme == "postgres" || c.scheme == "postgresql",
            let host = c.host, !host.isEmpty
        else {
            throw DatabaseConfigurationError(description: "DATABASE_URL must look like postgres://user:password@host:5432/database")
        }
        let user = c.percentEncodedUser?.removingPercentEncoding ?? "postgres"
        let password = c.percentEncodedPassword?.removingPercentEncoding
        let database = String(c.path.dropFirst())
        let sslmode = c.queryItems?.first(where: { $0.name == "sslmode" })?.value
        let tls: PostgresClient.Configuration.TLS = sslmode == "require" ? .require(.makeClientConfiguration()) : .disable
        var config = PostgresClient.Configuration(
            host: host, port: c.port ?? 5432, username: user, password: password,
            database: database.isEmpty ? nil : database, tls: tls)
        config.options.maximumConnections = maximumConnections
        config.options.connectTimeout = .seconds(3)
        config.options.additionalStartupParameters = settings
        return config
    }
}
