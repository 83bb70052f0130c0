import Foundation
import Hummingbird
import Messaging
import ServiceKit
import WebhookCore

/// `POST /api/v1/events`: one event (an object) or a batch (an array), answered 202 only once the
/// broker confirmed every event of the request.
struct EventController: Sendable {
    let publisher: any EventPublishing
    let configuration: IngestConfiguration
    let metrics: IngestMetrics
    /// The catalogue strict mode checks events against (`nil` in open mode).
    let catalogue: IngestCatalogue?

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/v1/events") { request, context in try await post(request, context) }
    }

    func post(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        do {
            return try await accept(request, context)
        } catch let error as APIError {
            metrics.rejected(code: error.code)
            throw error
        }
    }

    private func accept(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.publisher, .admin)
        let buffer = try await BodyReader.collect(request, limit: configuration.maximumRequestBytes)
        let json: JSONValue
        do throws(JSONParseError) {
            json = try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw APIError.badRequest("E_INVALID_JSON", error.description)
        }
        let items: [JSONValue]
        let isBatch: Bool
        switch json {
        case .array(let elements):
            guard !elements.isEmpty else { throw APIError.badRequest("E_EMPTY_BATCH", "the batch holds no events") }
            guard elements.count <= configuration.maximumBatchSize else {
                throw APIError(.contentTooLarge, code: "E_BATCH_TOO_LARGE", message: "a batch may hold at most \(configuration.maximumBatchSize) events")
            }
            items = elements
            isBatch = true
        default:
            items = [json]
            isBatch = false
        }
        let idempotencyKey = request.headers[.init("Idempotency-Key")!]
        var events: [ValidatedEvent] = []
        events.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            events.append(try validate(item, index: isBatch ? index : nil, idempotencyKey: idempotencyKey, identity: identity))
        }
        return try await publishAll(events, context)
    }

    /// An event that passed validation, with its message body (encoded once).
    struct ValidatedEvent: Sendable {
        var event: Event
        var body: [UInt8]
        var id: String { event.id }
    }

    private func validate(_ item: JSONValue, index: Int?, idempotencyKey: String?, identity: Identity) throws -> ValidatedEvent {
        let prefix = index.map { "events[\($0)]: " } ?? ""
        var event: Event
        do throws(EventValidationError) {
            event = try EventValidation.event(from: item, defaultID: Self.defaultID(idempotencyKey: idempotencyKey, index: index))
        } catch {
            throw APIError.badRequest(error.code, prefix + error.message)
        }
        if let catalogue { try Self.check(event, against: catalogue, prefix: prefix) }
        if let tenant = identity.tenantId {
            if let given = event.tenantId, given != tenant {
                throw APIError.forbidden(prefix + "you may only publish events of tenant \(tenant)")
            }
            event.tenantId = tenant
        }
        let body = event.messageBody
        if body.count > configuration.maximumEventBytes {
            throw APIError(.contentTooLarge, code: "E_EVENT_TOO_LARGE", message: prefix + "an event may be at most \(configuration.maximumEventBytes) bytes")
        }
        return ValidatedEvent(event: event, body: body)
    }

    /// Strict mode: 400 `E_UNKNOWN_EVENT_TYPE` for a type outside the catalogue, 400
    /// `E_SCHEMA_VIOLATION` naming the path for `data` that breaks the type's schema, 503
    /// `E_CATALOGUE_UNAVAILABLE` before the catalogue was first loaded.
    static func check(_ event: Event, against catalogue: IngestCatalogue, prefix: String) throws(APIError) {
        switch catalogue.check(type: event.type, data: event.data) {
        case .accepted:
            return
        case .unknownType:
            throw APIError.badRequest(
                "E_UNKNOWN_EVENT_TYPE", prefix + "'\(event.type)' is not in the event-type catalogue (GET /api/v1/event-types on the registry)")
        case .violation(let violation):
            throw APIError.badRequest(
                "E_SCHEMA_VIOLATION", prefix + "\(violation.path): \(violation.message) (schema of '\(event.type)' in the event-type catalogue)")
        case .notLoaded:
            throw APIError(
                .serviceUnavailable, code: "E_CATALOGUE_UNAVAILABLE", message: "the event-type catalogue is not loaded yet; try again shortly",
                headers: [.retryAfter: "5"])
        }
    }

    /// The id of an event sent without one: derived from the `Idempotency-Key` (so a retried request
    /// gets the same ids), otherwise random.
    static func defaultID(idempotencyKey: String?, index: Int?) -> String {
        guard let key = idempotencyKey, !key.isEmpty else {
            // 128 random bits as 32 hex digits (getrandom; no file or string bridging per event).
            var random = SystemRandomNumberGenerator()
            return "evt_" + Hashing.hex(withUnsafeBytes(of: (random.next() as UInt64, random.next() as UInt64)) { Array($0) })
        }
        let material = index.map { "\(key)#\($0)" } ?? key
        return "evt_" + Hashing.sha256Hex(Array(material.utf8)).prefix(32)
    }

    private func publishAll(_ events: [ValidatedEvent], _ context: AppRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let outcomes = await publisher.publish(events.map { (event: $0.event, body: $0.body) })
        let elapsed = ContinuousClock.now - started
        var failures: [String: AMQPError] = [:]
        for (event, outcome) in zip(events, outcomes) {
            switch outcome {
            case .success: metrics.published(after: elapsed)
            case .failure(let error): failures[event.id] = error
            }
        }
        let accepted = events.map(\.id).filter { failures[$0] == nil }
        metrics.accepted(accepted.count)
        metrics.unconfirmed(failures.count)
        if failures.isEmpty {
            // Written directly: JSONEncoder was about 8 % of ingest's CPU per single-event request.
            return JSONResponse.make(
                json: .object([
                    ("code", .int(0)), ("message", .string("accepted")),
                    ("data", .object([("ids", .array(accepted.map { .string($0) })), ("count", .int(accepted.count))])),
                ]), status: .accepted)
        }
        let reason = failures.values.first!
        context.logger.warning("events not confirmed by the broker", metadata: ["failed": "\(failures.count)", "error": "\(reason)"])
        var response = try JSONResponse.make(
            Unavailable(
                message: "the broker did not confirm \(failures.count) of \(events.count) events (\(reason.message)); retry them",
                data: .init(accepted: accepted, failed: events.map(\.id).filter { failures[$0] != nil })),
            status: .serviceUnavailable)
        response.headers[.retryAfter] = "5"
        return response
    }

    struct Unavailable: Encodable {
        struct Detail: Encodable {
            let accepted: [String]
            let failed: [String]
        }
        let code = "E_BROKER_UNAVAILABLE"
        let message: String
        let data: Detail
    }
}
