import Foundation
import Hummingbird
import ServiceKit
import Storage
import WebhookCore

/// The bkrepo dialect: the webhook API of bkrepo (BlueKing Repository) under `/webhook/api`,
/// `{"code","message","data","traceId"}` with camelCase fields, `triggers` for events, `token` for the
/// secret, string ids.
struct BkRepoRoutes: Sendable {
    let webhooks: WebhookService
    let tasks: TaskService
    let logs: AttemptLogService
    let testSends: TestSendService

    func addRoutes(to router: Router<AppRequestContext>) {
        let g = router.group("/webhook/api")
        g.post("webhook/create") { request, context in try await create(request, context) }
        g.put("webhook/update") { request, context in try await update(request, context) }
        g.post("webhook/update") { request, context in try await update(request, context) }
        g.delete("webhook/delete/{id}") { _, context in try await delete(context) }
        g.get("webhook/list") { request, context in try await list(request, context) }
        g.get("webhook/test/{id}") { _, context in try await test(context) }
        g.post("webhook/test/{id}") { _, context in try await test(context) }
        g.get("webhook/retry/{logId}") { _, context in try await retry(context) }
        g.post("webhook/retry/{logId}") { _, context in try await retry(context) }
        g.get("webhook/{id}") { _, context in try await get(context) }
        g.get("log/list/{webHookId}") { request, context in try await listLogs(request, context) }
    }

    func respond<T: Encodable>(_ data: T?, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) throws -> Response {
        try JSONResponse.make(BkRepoEnvelope(data: data, context: context), status: status)
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let input = try await WebhookInput.read(from: request, limit: CanonicalWebhookRoutes.bodyLimit)
        if !input.events.isPresent { throw APIError.badRequest("E_MISSING_FIELD", "field 'triggers' is required") }
        let created = try await webhooks.create(input, by: identity, defaults: .init(events: nil))
        return try respond(BkRepoWebhookView(created, includeSecret: true), context)
    }

    func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let input = try await WebhookInput.read(from: request, limit: CanonicalWebhookRoutes.bodyLimit)
        guard let id = input.id else { throw APIError.badRequest("E_MISSING_FIELD", "field 'id' is required") }
        let updated = try await webhooks.update(id, input, by: identity)
        return try respond(BkRepoWebhookView(updated, includeSecret: true), context)
    }

    func delete(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        _ = try await webhooks.delete(try RequestParsing.pathID(context, "id"), by: identity)
        return try respond(String?.none, context)
    }

    func get(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await webhooks.get(try RequestParsing.pathID(context, "id"), identity)
        return try respond(BkRepoWebhookView(webhook, includeSecret: identity.role == .admin), context)
    }

    /// Filters: `associationType`, `associationId` (and their snake_case spellings); at most 500.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        var type: AssociationType?
        if let text = RequestParsing.string(request, "associationType") ?? RequestParsing.string(request, "association_type") {
            guard let t = AssociationType(rawValue: text.uppercased()) else {
                throw APIError.badRequest("E_INVALID_QUERY", "'associationType' must be SYSTEM, PROJECT or REPO")
            }
            type = t
        }
        let filter = WebhookFilter(
            scope: identity.tenantId, associationType: type,
            associationId: RequestParsing.string(request, "associationId") ?? RequestParsing.string(request, "association_id"))
        let result = try await webhooks.list(filter, page: 1, pageSize: 500)
        return try respond(result.items.map { BkRepoWebhookView($0, includeSecret: false) }, context)
    }

    func test(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let webhook = try await webhooks.get(try RequestParsing.pathID(context, "id"), identity)
        let sent = await testSends.send(webhook, by: identity)
        return try respond(BkRepoLogView(test: sent, webhookId: webhook.id), context)
    }

    /// Schedules the logged delivery again (delivery sends it and records a new log); answers the
    /// log that is being retried. A test send's log has no delivery to retry: 409 `E_LOG_NOT_RETRYABLE`.
    func retry(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let logId = try RequestParsing.pathID(context, "logId", code: "E_LOG_NOT_FOUND", what: "log")
        let attempt = try await logs.get(logId, identity)
        _ = try await tasks.retryAttempt(logId, by: identity)
        return try respond(BkRepoLogView(attempt), context)
    }

    /// Newest first; `pageNumber`/`pageSize` (default 1 and 20, at most 100).
    func listLogs(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await webhooks.get(try RequestParsing.pathID(context, "webHookId"), identity)
        let page = try RequestParsing.int(request, "pageNumber", in: 1...1_000_000) ?? 1
        let pageSize = try RequestParsing.int(request, "pageSize", in: 1...100) ?? 20
        let result = try await logs.list(AttemptFilter(scope: identity.tenantId, webhookId: webhook.id), page: page, pageSize: pageSize)
        return try respond(result.items.map(BkRepoLogView.init), context)
    }
}
