import Foundation
import Hummingbird
import ServiceKit
import Storage
import WebhookCore

/// Canonical routes of replay and recovery jobs: `POST /api/v1/jobs` creates one (202; a repeated
/// `Idempotency-Key` returns the first job with 200), `GET /api/v1/jobs[/{job_id}]` shows progress,
/// `POST /api/v1/jobs/{job_id}/cancel` stops one.
struct CanonicalJobRoutes: Sendable {
    let jobs: JobService

    func addRoutes(to router: Router<AppRequestContext>) {
        let g = router.group("/api/v1")
        g.post("jobs") { request, context in try await create(request, context) }
        g.get("jobs") { request, context in try await list(request, context) }
        g.get("jobs/{job_id}") { _, context in try await get(context) }
        g.post("jobs/{job_id}/cancel") { _, context in try await cancel(context) }
    }

    struct CreateRequest: Decodable {
        var kind: JobKind
        var webhook_id: Int64?
        var tenant_id: Int64?
        var event_types: [String]?
        var since: String
        var until: String?
        var only_missing: Bool?
    }

    /// Longest `Idempotency-Key` accepted.
    static let maximumKeyLength = 255

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let body = try await BodyReader.decode(CreateRequest.self, from: request, limit: 16 << 10)
        let key = request.headers[.init("Idempotency-Key")!]
        if let key, key.isEmpty || key.count > Self.maximumKeyLength {
            throw APIError.badRequest("E_INVALID_VALUE", "'Idempotency-Key' must be 1 to \(Self.maximumKeyLength) characters")
        }
        let draft = JobService.Draft(
            kind: body.kind, webhookId: body.webhook_id, tenantId: body.tenant_id, eventTypes: body.event_types,
            since: try RequestParsing.bodyDate(body.since, "since"),
            until: try body.until.map { text throws -> Date in try RequestParsing.bodyDate(text, "until") },
            onlyMissing: body.only_missing ?? false, idempotencyKey: key)
        let (job, created) = try await jobs.create(draft, by: identity)
        let message = created ? "\(job.request.kind.rawValue) job \(job.id) queued" : "job \(job.id) was created by an earlier request with this key"
        return try JSONResponse.make(Envelope(message: message, data: JobView(job)), status: created ? .accepted : .ok)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let (page, pageSize) = try Pagination.parse(request.uri.queryParameters)
        let status = try RequestParsing.value(request, "status", as: JobStatus.self)
        let result = try await jobs.list(status: status, identity, page: page, pageSize: pageSize)
        return try PageView.response(result.items.map(JobView.init), page: page, pageSize: pageSize, total: result.total)
    }

    func get(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let job = try await jobs.get(try RequestParsing.pathID(context, "job_id", code: "E_JOB_NOT_FOUND", what: "job"), identity)
        return try JSONResponse.make(Envelope(data: JobView(job)))
    }

    func cancel(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let job = try await jobs.cancel(try RequestParsing.pathID(context, "job_id", code: "E_JOB_NOT_FOUND", what: "job"), by: identity)
        return try JSONResponse.make(Envelope(message: "job \(job.id) cancelled", data: JobView(job)))
    }
}
