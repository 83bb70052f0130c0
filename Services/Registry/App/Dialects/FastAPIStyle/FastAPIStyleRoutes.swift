import Foundation
import Hummingbird
import ServiceKit
import Storage
import WebhookCore

/// The FastAPI-style dialect, named after the service shape it speaks (`/api/webhooks/` with trailing
/// slash, `/api/webhooks/{id}...`, `/api/webhooks/logs/recent`): bare JSON objects, as its clients'
/// commands read them (`jq '.enabled'`, `jq '.events'`, `jq '.last_error'`, `.items[]` on logs).
/// Webhooks created here sign with `X-ATLAS-Signature` / `X-ATLAS-Event`.
struct FastAPIStyleRoutes: Sendable {
    let webhooks: WebhookService
    let logs: AttemptLogService
    let testSends: TestSendService

    static let signatureHeader = "X-ATLAS-Signature"
    static let eventHeader = "X-ATLAS-Event"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/webhooks/logs/recent") { request, context in try await recent(request, context) }
        router.get("/api/webhooks/{id}") { _, context in try await get(context) }
        router.put("/api/webhooks/{id}") { request, context in try await update(request, context) }
        router.patch("/api/webhooks/{id}") { request, context in try await update(request, context) }
        router.delete("/api/webhooks/{id}") { _, context in try await delete(context) }
        router.post("/api/webhooks/{id}/toggle") { _, context in try await toggle(context) }
        router.post("/api/webhooks/{id}/test") { _, context in try await test(context) }
        router.get("/api/webhooks/{id}/logs") { request, context in try await logs(request, context) }
        router.get("/api/webhooks/{id}/stats") { request, context in try await stats(request, context) }
    }

    func id(_ context: AppRequestContext) throws -> Int64 { try RequestParsing.pathID(context, "id") }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let input = try await WebhookInput.read(from: request, limit: CanonicalWebhookRoutes.bodyLimit)
        let defaults = WebhookService.CreateDefaults(events: nil, signatureHeader: Self.signatureHeader, eventHeader: Self.eventHeader)
        let created = try await webhooks.create(input, by: identity, defaults: defaults)
        return try JSONResponse.make(WebhookView(webhook: created, includeSecret: true), status: .created)
    }

    /// A plain array, FastAPI-style, paged with `skip` and `limit` (default 100, at most 500).
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let limit = try RequestParsing.int(request, "limit", in: 1...500) ?? 100
        let skip = try RequestParsing.int(request, "skip", in: 0...10_000_000) ?? 0
        guard skip % limit == 0 else {
            throw APIError.badRequest("E_INVALID_QUERY", "'skip' must be a multiple of 'limit'")
        }
        let filter = WebhookFilter(scope: identity.tenantId, status: try RequestParsing.value(request, "status", as: WebhookStatus.self))
        let result = try await webhooks.list(filter, page: skip / limit + 1, pageSize: limit)
        return try JSONResponse.make(result.items.map { WebhookView(webhook: $0, includeSecret: false) })
    }

    func get(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await webhooks.get(try id(context), identity)
        return try JSONResponse.make(WebhookView(webhook: webhook, includeSecret: identity.role == .admin))
    }

    func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let id = try id(context)
        let input = try await WebhookInput.read(from: request, limit: CanonicalWebhookRoutes.bodyLimit)
        return try JSONResponse.make(WebhookView(webhook: try await webhooks.update(id, input, by: identity), includeSecret: true))
    }

    func delete(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        _ = try await webhooks.delete(try id(context), by: identity)
        return Response(status: .noContent)
    }

    func toggle(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        return try JSONResponse.make(WebhookView(webhook: try await webhooks.toggle(try id(context), by: identity), includeSecret: false))
    }

    func test(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let webhook = try await webhooks.get(try id(context), identity)
        return try JSONResponse.make(TestResultView(await testSends.send(webhook, by: identity)))
    }

    struct LogPage: ExplicitNulls {
        let items: [AttemptView]
        let total: Int
        let limit: Int
        let hours: Int?
    }

    func logs(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await webhooks.get(try id(context), identity)
        let limit = try RequestParsing.int(request, "limit", in: 1...500) ?? 50
        let filter = AttemptFilter(
            scope: identity.tenantId, webhookId: webhook.id, success: try RequestParsing.bool(request, "success"),
            test: try RequestParsing.bool(request, "test"))
        let result = try await logs.list(filter, page: 1, pageSize: limit)
        return try JSONResponse.make(LogPage(items: result.items.map(AttemptView.init), total: result.total, limit: limit, hours: nil))
    }

    func stats(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await webhooks.get(try id(context), identity)
        return try JSONResponse.make(try await CanonicalWebhookRoutes.stats(of: webhook, request, logs))
    }

    func recent(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let hours = try RequestParsing.int(request, "hours", in: 1...720) ?? 24
        let limit = try RequestParsing.int(request, "limit", in: 1...500) ?? 100
        let filter = AttemptFilter(
            scope: identity.tenantId, success: try RequestParsing.bool(request, "success"),
            since: Date().addingTimeInterval(-Double(hours) * 3600), test: try RequestParsing.bool(request, "test"))
        let result = try await logs.list(filter, page: 1, pageSize: limit)
        return try JSONResponse.make(LogPage(items: result.items.map(AttemptView.init), total: result.total, limit: limit, hours: hours))
    }
}
