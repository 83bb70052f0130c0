import Foundation

extension Platform {
    /// Creates a webhook through the canonical API; returns its id and secret.
    public func createWebhook(_ http: TestHTTP, token: String, json: String) async throws -> (id: Int, secret: String) {
        let response = try await http.send("POST", registryURL + "/api/v1/webhooks", token: token, body: json)
        guard response.status == 201, let id = response.data["webhook_id"] as? Int, let secret = response.data["secret"] as? String else {
            throw TestEnvironment.Missing(description: "webhook not created: \(response.status) \(response.text)")
        }
        return (id, secret)
    }

    /// Posts one event or a batch (a JSON array) to ingest; returns the accepted ids.
    @discardableResult
    public func postEvents(_ http: TestHTTP, token: String, json: String) async throws -> [String] {
        let response = try await http.send("POST", ingestURL + "/api/v1/events", token: token, body: json)
        guard response.status == 202, let ids = response.data["ids"] as? [String] else {
            throw TestEnvironment.Missing(description: "events not accepted: \(response.status) \(response.text)")
        }
        return ids
    }

    /// The webhook's attempt log, newest first.
    public func logs(_ http: TestHTTP, token: String, webhookID: Int, pageSize: Int = 100) async throws -> [[String: Any]] {
        let response = try await http.send("GET", registryURL + "/api/v1/webhooks/\(webhookID)/logs?page_size=\(pageSize)", token: token)
        return response.data["items"] as? [[String: Any]] ?? []
    }

    /// Polls the attempt log until `condition` holds (or `timeout` passes); returns the last log.
    public func waitForLogs(
        _ http: TestHTTP, token: String, webhookID: Int, timeout: Duration = .seconds(30),
        until condition: ([[String: Any]]) -> Bool
    ) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + timeout
        var items = try await logs(http, token: token, webhookID: webhookID)
        while !condition(items) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            items = try await logs(http, token: token, webhookID: webhookID)
        }
        return items
    }

    /// The webhook as the canonical API shows it.
    public func webhook(_ http: TestHTTP, token: String, id: Int) async throws -> [String: Any] {
        try await http.send("GET", registryURL + "/api/v1/webhooks/\(id)", token: token).data
    }

    /// The logs of all three services, for failure messages.
    public var logTails: String {
        "registry:\n\(registry.logTail())\ningest:\n\(ingest.logTail())\ndelivery:\n\(delivery.logTail())"
    }
}

extension Platform {
    /// Starts one more delivery process with the same settings (a replacement after a crash, or a
    /// second replica). The caller stops it.
    public func startDelivery() throws -> ServiceProcess {
        var settings = environment
        settings["DELIVERY_PORT"] = "\(freePort())"
        return try ServiceProcess(name: "delivery", binDirectory: binDirectory, environment: settings)
    }

    /// Starts one more registry process with the same settings (a replacement after a crash);
    /// returns it and its URL. The caller stops it.
    public func startRegistry() throws -> (process: ServiceProcess, url: String) {
        var settings = environment
        let port = freePort()
        settings["REGISTRY_PORT"] = "\(port)"
        return (try ServiceProcess(name: "registry", binDirectory: binDirectory, environment: settings), "http://127.0.0.1:\(port)")
    }

    /// Posts events, retrying while ingest answers 503 (the broker is away); returns the accepted ids.
    public func postEventsRetrying(_ http: TestHTTP, token: String, json: String, timeout: Duration = .seconds(90)) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let response = try? await http.send("POST", ingestURL + "/api/v1/events", token: token, body: json) {
                if response.status == 202, let ids = response.data["ids"] as? [String] { return ids }
                if response.status != 503 {
                    throw TestEnvironment.Missing(description: "events refused: \(response.status) \(response.text)")
                }
            }
            if ContinuousClock.now >= deadline { throw TestEnvironment.Missing(description: "ingest did not recover in time") }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}

extension TestEnvironment {
    /// Runs `deploy/local/infra.sh <command>` against the test infrastructure.
    public func infra(_ command: String) async throws {
        guard let script = infraScript else { throw Missing(description: "WEBHOOKS_INFRA_SCRIPT is not set: run the tests with `make test`") }
        let status = try await Subprocess.run("/bin/bash", [script, command])
        guard status == 0 else { throw Missing(description: "infra.sh \(command) failed (\(status))") }
    }
}

extension Platform {
    /// A failure inside `Platform.with`, carrying the services' log tails.
    public struct Failure: Error, CustomStringConvertible {
        public let error: any Error
        public let logs: String
        public var description: String { "\(error)\nservice logs:\n\(logs)" }
    }

    /// Starts a platform, logs in as its admin, runs `body`, and stops the platform however `body`
    /// ends; a thrown error comes back as `Failure` with the services' logs.
    public static func with(_ extra: [String: String] = [:], _ body: (Platform, TestHTTP, String) async throws -> Void) async throws {
        let platform = try await Platform.start(try TestEnvironment.require(), extra: extra)
        let http = TestHTTP()
        do {
            try await body(platform, http, try await platform.adminToken(http))
        } catch {
            let logs = platform.logTails
            await platform.stop()
            await http.shutdown()
            throw Failure(error: error, logs: logs)
        }
        await platform.stop()
        await http.shutdown()
    }
}
