import Foundation
import Synchronization

/// The three services started as real processes against the test infrastructure.
public final class Platform: Sendable {
    public let registry: ServiceProcess
    public let ingest: ServiceProcess
    public let delivery: ServiceProcess
    public let registryURL: String
    public let ingestURL: String
    public let deliveryURL: String
    public let adminUsername: String
    public let adminPassword: String
    /// Settings each service got, so tests can restart one of them alike.
    public let environment: [String: String]
    public let binDirectory: String
    /// Set once the virtual host is deleted (`stop` may be called more than once).
    private let stopped = Mutex(false)

    /// Starts registry, ingest and delivery on free ports and waits until each `/readyz` answers.
    public static func start(_ env: TestEnvironment, extra: [String: String] = [:]) async throws -> Platform {
        // A port that was free when picked can be taken before the service binds it (an outgoing
        // connection's ephemeral port); then another process answers there. Start again on new ports.
        // A service that did not get ready is started again too, after its log is printed.
        for _ in 1..<3 {
            do {
                return try await startOnce(env, extra: extra)
            } catch let failure as StartFailure {
                print("platform: \(failure.description)\nstarting again on other ports")
            }
        }
        return try await startOnce(env, extra: extra)
    }

    /// A service's port answered for another process, or a service never got ready.
    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    private static func startOnce(_ env: TestEnvironment, extra: [String: String]) async throws -> Platform {
        guard let bin = env.binDirectory else {
            throw TestEnvironment.Missing(description: "WEBHOOKS_BIN_DIR is not set: run the tests with `make test`")
        }
        let ports = (freePort(), freePort(), freePort())
        // The bootstrap admin is created once per database: each platform gets its own.
        let username = "admin-" + UUID().uuidString.prefix(8).lowercased()
        let password = "pw-" + UUID().uuidString
        var environment: [String: String] = [
            "DATABASE_URL": env.databaseURL, "AMQP_URL": try await env.isolatedAMQPURL(),
            "JWT_SECRET": "test-secret-" + UUID().uuidString + UUID().uuidString,
            "ADMIN_USERNAME": username, "ADMIN_PASSWORD": password,
            "REGISTRY_PORT": "\(ports.0)", "INGEST_PORT": "\(ports.1)", "DELIVERY_PORT": "\(ports.2)",
            "BIND_ADDRESS": "127.0.0.1", "DELIVERY_ALLOW_PRIVATE_NETWORKS": "true", "LOG_LEVEL": "info",
            // Every platform shares the test database but has a broker virtual host of its own: a
            // registry that ran jobs would pick up another test's and hand its tasks to the wrong
            // broker. The tests of jobs turn it on (and run one at a time).
            "REGISTRY_RUN_JOBS": "false",
        ]
        environment.merge(extra) { _, new in new }
        let platform = Platform(
            registry: try ServiceProcess(name: "registry", binDirectory: bin, environment: environment),
            ingest: try ServiceProcess(name: "ingest", binDirectory: bin, environment: environment),
            delivery: try ServiceProcess(name: "delivery", binDirectory: bin, environment: environment),
            ports: ports, username: username, password: password, environment: environment, binDirectory: bin)
        let http = TestHTTP()
        defer { Task { await http.shutdown() } }
        for (process, url) in [(platform.registry, platform.registryURL), (platform.ingest, platform.ingestURL), (platform.delivery, platform.deliveryURL)] {
            guard await http.waitUntilReady(url + "/readyz", while: { process.isRunning }) else {
                let state = process.isRunning ? "still running" : "exited"
                let tail = process.logTail()
                await platform.stop()
                throw StartFailure(description: "\(process.name) did not become ready (\(state)); its log:\n\(tail)")
            }
            let server = try? await http.send("GET", url + "/healthz").header("server")
            guard server == "webhooks-\(process.name)" else {
                await platform.stop()
                throw StartFailure(description: "\(url) answered as \(server ?? "an unknown server"), not webhooks-\(process.name)")
            }
        }
        return platform
    }

    private init(
        registry: ServiceProcess, ingest: ServiceProcess, delivery: ServiceProcess, ports: (Int, Int, Int),
        username: String, password: String, environment: [String: String], binDirectory: String
    ) {
        self.registry = registry
        self.ingest = ingest
        self.delivery = delivery
        self.registryURL = "http://127.0.0.1:\(ports.0)"
        self.ingestURL = "http://127.0.0.1:\(ports.1)"
        self.deliveryURL = "http://127.0.0.1:\(ports.2)"
        self.adminUsername = username
        self.adminPassword = password
        self.environment = environment
        self.binDirectory = binDirectory
    }

    /// Stops all three with SIGTERM, then deletes the platform's virtual host; returns their exit statuses.
    @discardableResult
    public func stop() async -> [Int32] {
        var statuses: [Int32] = []
        for process in [delivery, ingest, registry] { statuses.append(await process.stop()) }
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        if first, let url = environment["AMQP_URL"], let env = try? TestEnvironment.require() { await env.deleteIsolatedVirtualHost(of: url) }
        return statuses
    }

    /// The admin's token.
    public func adminToken(_ http: TestHTTP) async throws -> String {
        let response = try await http.send(
            "POST", registryURL + "/api/auth/login",
            body: #"{"username": "\#(adminUsername)", "password": "\#(adminPassword)"}"#)
        guard response.status == 200, let token = response.json["access_token"] as? String else {
            throw TestEnvironment.Missing(description: "login failed: \(response.status) \(response.text)")
        }
        return token
    }
}
