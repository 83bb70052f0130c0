import Foundation

/// Connection settings of the test infrastructure, exported by `make test` (deploy/local/test.sh).
public struct TestEnvironment: Sendable {
    public let databaseURL: String
    public let amqpURL: String
    /// Folder of the built executables (`swift build --show-bin-path`).
    public let binDirectory: String?
    /// `deploy/local/infra.sh`, for tests that restart the broker or the database.
    public let infraScript: String?

    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads the settings; fails with a clear message when the tests were not started by `make test`.
    public static func require() throws -> TestEnvironment {
        let env = ProcessInfo.processInfo.environment
        guard let db = env["DATABASE_URL"], let amqp = env["AMQP_URL"] else {
            throw Missing(description: "DATABASE_URL and AMQP_URL are not set: run the tests with `make test`, which starts PostgreSQL and RabbitMQ")
        }
        return TestEnvironment(databaseURL: db, amqpURL: amqp, binDirectory: env["WEBHOOKS_BIN_DIR"], infraScript: env["WEBHOOKS_INFRA_SCRIPT"])
    }

    /// A random tenant id so that tests never see each other's rows.
    public static func uniqueTenant() -> Int64 { Int64.random(in: 1_000_000...9_000_000_000) }
}
