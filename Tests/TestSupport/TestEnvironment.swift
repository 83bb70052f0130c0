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

    /// A private RabbitMQ virtual host (its own exchanges and queues) on the test broker, so that the
    /// services started by one test never consume another test's messages; returns its AMQP URL.
    public func isolatedAMQPURL() async throws -> String {
        guard let script = infraScript else { return amqpURL }
        let vhost = "test-" + UUID().uuidString.prefix(8).lowercased()
        for arguments in [["add_vhost", vhost], ["set_permissions", "-p", vhost, "webhooks", ".*", ".*", ".*"]] {
            try await rabbitmqctl(script, arguments)
        }
        guard var components = URLComponents(string: amqpURL) else { return amqpURL }
        components.percentEncodedPath = "/" + vhost
        return components.string ?? amqpURL
    }

    /// Deletes the virtual host of `url` made by `isolatedAMQPURL` (its queues with it), so that the
    /// broker does not keep every earlier test's quorum queues running; best effort.
    public func deleteIsolatedVirtualHost(of url: String) async {
        guard let script = infraScript, url != amqpURL, let path = URLComponents(string: url)?.path, path.hasPrefix("/test-") else { return }
        try? await rabbitmqctl(script, ["delete_vhost", String(path.dropFirst())])
    }

    /// Runs `rabbitmqctl` with a time limit, three times at most: the CLI starts an Erlang node of its
    /// own, which now and then hangs while the broker is busy.
    private func rabbitmqctl(_ script: String, _ arguments: [String]) async throws {
        var status: Int32 = -1
        for _ in 1...3 {
            status = try await Subprocess.run("/usr/bin/timeout", ["-k", "5", "60", "/bin/bash", script, "rabbitmqctl"] + arguments)
            if status == 0 { return }
        }
        throw Missing(description: "rabbitmqctl \(arguments.joined(separator: " ")) failed (\(status))")
    }

    /// A random tenant id so that tests never see each other's rows.
    public static func uniqueTenant() -> Int64 { Int64.random(in: 1_000_000...9_000_000_000) }
}
