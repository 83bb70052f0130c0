import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestApp
import Logging
import Messaging
import ServiceKit
import Synchronization
import WebhookCore

/// An `EventPublishing` that keeps what it is handed: it confirms every event, or refuses each
/// event whose id is in `refused` (a broker that did not confirm them).
final class RecordingEventPublisher: EventPublishing {
    /// Each publish call's events, in order.
    private let calls = Mutex<[[Event]]>([])
    private let refused: Set<String>

    init(refusing refused: Set<String> = []) {
        self.refused = refused
    }

    var published: [[Event]] { calls.withLock { $0 } }

    func publish(_ events: [(event: Event, body: [UInt8])]) async -> [Result<Void, AMQPError>] {
        calls.withLock { $0.append(events.map(\.event)) }
        return events.map { refused.contains($0.event.id) ? .failure(AMQPError(.nacked, "refused by the test")) : .success(()) }
    }
}

/// A response as the ingest tests look at it.
struct Reply: CustomStringConvertible {
    let status: Int
    let headers: HTTPFields
    let text: String

    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }
    var data: [String: Any] { object["data"] as? [String: Any] ?? [:] }
    var code: String? { object["code"] as? String }
    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
    var description: String { "\(status) \(text.prefix(600))" }
}

/// Ingest's router (`buildIngestRouter`) over a recording publisher: no broker, no socket.
struct Ingest: Sendable {
    let client: any TestClientProtocol
    let publisher: RecordingEventPublisher
    /// A publisher of tenant 7, an admin without tenant, a viewer of tenant 7.
    let publisherToken: String
    let adminToken: String
    let viewerToken: String

    static func run(
        configure: (inout IngestConfiguration) -> Void = { _ in }, publisher: RecordingEventPublisher = RecordingEventPublisher(),
        catalogue: IngestCatalogue? = nil, _ body: @Sendable (Ingest) async throws -> Void
    ) async throws {
        let secret = "ingest-test-secret-" + UUID().uuidString + UUID().uuidString
        var configuration = IngestConfiguration(
            amqpURL: "amqp://unused", jwtSecret: secret, maximumBatchSize: 3, maximumEventBytes: 2048,
            maximumRequestBytes: 16 << 10)
        configure(&configuration)
        let tokens = await TokenService(secret: secret)
        var logger = Logger(label: "ingest-tests")
        logger.logLevel = .critical
        let app = Application(
            router: buildIngestRouter(configuration: configuration, publisher: publisher, tokens: tokens, catalogue: catalogue), logger: logger)
        let publisherToken = try await tokens.issue(for: Identity(subject: "ci", role: .publisher, tenantId: 7))
        let adminToken = try await tokens.issue(for: Identity(subject: "root", role: .admin, tenantId: nil))
        let viewerToken = try await tokens.issue(for: Identity(subject: "viewer", role: .viewer, tenantId: 7))
        try await app.test(.router) { client in
            try await body(
                Ingest(
                    client: client, publisher: publisher, publisherToken: publisherToken, adminToken: adminToken,
                    viewerToken: viewerToken))
        }
    }

    /// `POST /api/v1/events` with `body`, as the publisher unless `token` says otherwise.
    func post(_ body: String, token: String?? = .none, headers extra: [String: String] = [:]) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token = token ?? publisherToken { headers[.authorization] = "Bearer \(token)" }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: headers, body: ByteBuffer(string: body))
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
    }
}
