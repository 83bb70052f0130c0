import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RegistryApp
import ServiceKit
import TestSupport

/// A response as the registry tests look at it.
struct Reply: CustomStringConvertible {
    let status: Int
    let headers: HTTPFields
    let text: String

    /// The body parsed as JSON (`nil` when it is not JSON).
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
    /// The body as an object (empty when it is not one).
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    /// `object["data"]` as an object.
    var data: [String: Any] { object["data"] as? [String: Any] ?? [:] }
    /// `object["code"]` as a string (error codes).
    var code: String? { object["code"] as? String }

    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }

    var description: String { "\(status) \(text.prefix(600))" }
}

/// Callers of every kind: a tenant-less operator, admins and a viewer of two tenants, a publisher.
struct Callers: Sendable {
    let root: String
    let adminA: String
    let adminB: String
    let viewerA: String
    let publisherA: String
    let tenantA: Int64
    let tenantB: Int64
}

/// The registry built in-process against the test PostgreSQL and RabbitMQ, driven through
/// Hummingbird's router test client.
struct Harness: Sendable {
    let client: any TestClientProtocol
    let callers: Callers
    let adminUsername: String
    let adminPassword: String

    var tenantA: Int64 { callers.tenantA }
    var tenantB: Int64 { callers.tenantB }

    /// Builds a registry and runs `body` against it.
    /// - Parameter logs: where the registry's log lines go (by default: standard error, warnings and above).
    static func run(
        extraNetworksAllowed: Bool = true, databaseURL: String? = nil, logs: LogCapture? = nil,
        _ body: @Sendable (Harness) async throws -> Void
    ) async throws {
        let env = try TestEnvironment.require()
        let secret = "registry-test-secret-" + UUID().uuidString + UUID().uuidString
        let username = "admin-" + UUID().uuidString.prefix(8).lowercased()
        let password = "pw-" + UUID().uuidString
        let configuration = RegistryConfiguration(
            host: "127.0.0.1", port: 0, databaseURL: databaseURL ?? env.databaseURL, amqpURL: env.amqpURL, jwtSecret: secret,
            adminUsername: username, adminPassword: password, allowPrivateNetworks: extraNetworksAllowed,
            connectTimeoutSeconds: 2, requestTimeoutSeconds: 5)
        var logger = logs?.logger(label: "registry-test") ?? Logger(label: "registry-test")
        if logs == nil { logger.logLevel = .warning }
        let app = try await buildRegistry(configuration: configuration, logger: logger)
        let tokens = await TokenService(secret: secret)
        let a = TestEnvironment.uniqueTenant(), b = TestEnvironment.uniqueTenant()
        func token(_ subject: String, _ role: Role, _ tenant: Int64?) async throws -> String {
            try await tokens.issue(for: Identity(subject: subject, role: role, tenantId: tenant))
        }
        let callers = Callers(
            root: try await token("root", .admin, nil), adminA: try await token("admin-a", .admin, a),
            adminB: try await token("admin-b", .admin, b), viewerA: try await token("viewer-a", .viewer, a),
            publisherA: try await token("publisher-a", .publisher, a), tenantA: a, tenantB: b)
        try await app.test(.router) { client in
            try await body(Harness(client: client, callers: callers, adminUsername: username, adminPassword: password))
        }
    }

    /// Sends a request with an optional bearer token and raw body.
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, body: String? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
    }

    /// Creates a webhook through the canonical API and returns its id.
    func createWebhook(
        token: String? = nil, tenant: Int64? = nil, url: String? = nil, events: [String] = ["job.failed"],
        extra: String = ""
    ) async throws -> Int64 {
        let target = url ?? "https://example.com/hook-\(UUID().uuidString)"
        var body = #"{"name": "test", "url": "\#(target)", "events": \#(jsonArray(events))"#
        if let tenant { body += #", "tenant_id": \#(tenant)"# }
        if !extra.isEmpty { body += ", " + extra }
        body += "}"
        let reply = try await send(.post, "/api/v1/webhooks", token: token ?? callers.adminA, body: body)
        guard reply.status == 201, let id = reply.data["webhook_id"] as? Int else {
            throw HarnessError("creating a webhook failed: \(reply)")
        }
        return Int64(id)
    }
}

func jsonArray(_ items: [String]) -> String {
    "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
}

/// The FastAPI-style clients' `verify_webhook_signature`: hex HMAC-SHA256 of the (already canonical) body.
func hmacHex(secret: String, body: [UInt8]) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
    return mac.map { String(format: "%02x", $0) }.joined()
}

/// A test set-up step failed.
struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
