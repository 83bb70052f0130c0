import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Outbound
import RegistryApp
import ServiceKit
import TestDoubles
import WebhookCore

/// A response as the handler tests look at it.
struct Reply: CustomStringConvertible {
    let status: Int
    let headers: HTTPFields
    let text: String

    /// The body parsed as JSON (`nil` when it is not JSON).
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
    /// The body as an object (empty when it is not one).
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    /// The body as an array of objects (empty when it is not one).
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    /// `object["data"]` as an object.
    var data: [String: Any] { object["data"] as? [String: Any] ?? [:] }
    /// `object["data"]` as an array of objects.
    var dataArray: [[String: Any]] { object["data"] as? [[String: Any]] ?? [] }
    /// `object["data"]["items"]` (canonical pages).
    var items: [[String: Any]] { data["items"] as? [[String: Any]] ?? [] }
    /// `object["code"]` as a string (error codes).
    var code: String? { object["code"] as? String }

    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }

    var description: String { "\(status) \(text.prefix(600))" }
}

/// The registry's router (`buildRouter`) over in-memory stores and a recording broker, driven
/// through Hummingbird's router test client: no database, no broker, no listening socket.
struct Registry: Sendable {
    let client: any TestClientProtocol
    let database: InMemoryDatabase
    let broker: RecordingPublisher
    let tokens: TokenService

    static let tenantA: Int64 = 1001
    static let tenantB: Int64 = 2002

    /// Tokens of a tenant-less operator, admins of tenants A and B, a viewer and a publisher of A.
    let root: String
    let adminA: String
    let adminB: String
    let viewerA: String
    let publisherA: String

    /// Builds the router over empty stores and runs `body` against it.
    static func run(_ body: @Sendable (Registry) async throws -> Void) async throws {
        let database = InMemoryDatabase()
        let broker = RecordingPublisher()
        let tokens = await TokenService(secret: "handler-test-secret-" + UUID().uuidString + UUID().uuidString)
        var logger = Logger(label: "registry-handler-tests")
        logger.logLevel = .critical
        // The SSRF guard refuses loopback and private addresses: a test send fails at once, offline.
        let outbound = OutboundClient(
            policy: try AddressPolicy.configured(allowPrivateNetworks: false, allowedNetworks: []),
            userAgent: "registry-handler-tests")
        let dependencies = RegistryDependencies(
            webhooks: database.webhooks, tasks: database.tasks, attempts: database.attempts, users: database.users,
            portalSessions: database.portalSessions, eventTypes: database.eventTypes, jobs: InMemoryJobRepository(), broker: broker,
            outbound: outbound, connectTimeout: .seconds(1), requestTimeout: .seconds(2), tokens: tokens, logger: logger)
        let app = Application(router: buildRouter(dependencies), logger: logger)
        func token(_ subject: String, _ role: Role, _ tenant: Int64?) async throws -> String {
            try await tokens.issue(for: Identity(subject: subject, role: role, tenantId: tenant))
        }
        let root = try await token("root", .admin, nil), adminA = try await token("admin-a", .admin, tenantA)
        let adminB = try await token("admin-b", .admin, tenantB), viewerA = try await token("viewer-a", .viewer, tenantA)
        let publisherA = try await token("publisher-a", .publisher, tenantA)
        try await app.test(.router) { client in
            try await body(
                Registry(
                    client: client, database: database, broker: broker, tokens: tokens, root: root, adminA: adminA,
                    adminB: adminB, viewerA: viewerA, publisherA: publisherA))
        }
        await outbound.shutdown()
    }

    /// Sends a request with an optional bearer token and raw body.
    func send(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, body: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
    }

    /// Creates a webhook through the canonical API (as tenant A's admin unless `token` says
    /// otherwise) and returns its id.
    @discardableResult
    func createWebhook(token: String? = nil, url: String? = nil, events: [String] = ["job.failed"], extra: String = "") async throws -> Int64 {
        let target = url ?? "https://example.com/hook-\(UUID().uuidString)"
        var body = #"{"name": "hook", "url": "\#(target)", "events": \#(jsonArray(events))"#
        if !extra.isEmpty { body += ", " + extra }
        body += "}"
        let reply = try await send(.post, "/api/v1/webhooks", token: token ?? adminA, body: body)
        guard reply.status == 201, let id = reply.data["webhook_id"] as? Int else { throw SetupError("creating a webhook failed: \(reply)") }
        return Int64(id)
    }

    /// The `ControlNotice`s published so far, as JSON objects.
    func notices() async -> [[String: Any]] {
        await broker.messages(on: WebhookTopology.controlExchange).compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.message.body))) as? [String: Any]
        }
    }
}

func jsonArray(_ items: [String]) -> String {
    "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
}

/// A test set-up step failed.
struct SetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
