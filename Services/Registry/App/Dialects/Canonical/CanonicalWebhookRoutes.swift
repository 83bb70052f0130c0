import Foundation
import Hummingbird
import ServiceKit
import Storage
import WebhookCore

/// The canonical webhook API under `/api/v1/webhooks` (snake_case fields, `{"code": 0, "message", "data"}`).
struct CanonicalWebhookRoutes: Sendable {
    let webhooks: WebhookService
    let tasks: TaskService
    let logs: AttemptLogService
    let testSends: TestSendService

    /// Largest webhook definition accepted.
    static let bodyLimit = 64 << 10

    func addRoutes(to router: Router<AppRequestContext>) {
        let g = router.group("/api/v1/webhooks")
        g.post { request, context in try await create(request, context) }
        g.get { request, context in try await list(request, context) }
        g.get("{webhook_id}") { _, context in try await get(context) }
        g.put("{webhook_id}") { request, context in try await update(request, context) }
        g.patch("{webhook_id}") { request, context in try await update(request, context) }
        g.delete("{webhook_id}") { _, context in try await delete(context) }
        g.post("{webhook_id}/enable") { _, context in try await setEnabled(true, context) }
        g.post("{webhook_id}/disable") { _, context in try await setEnabled(false, context) }
        g.post("{webhook_id}/rotate-secret") { request, context in try await rotate(request, context) }
        g.post("{webhook_id}/test") { _, context in try await test(context) }
        g.get("{webhook_id}/logs") { request, context in try await logs(request, context) }
        g.get("{webhook_id}/stats") { request, context in try await stats(request, context) }
        g.get("{webhook_id}/tasks") { request, context in try await webhookTasks(request, context) }
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let input = try await WebhookInput.read(from: request, limit: Self.bodyLimit)
        let created = try await webhooks.create(input, by: identity, defaults: .init(events: nil))
        return try JSONResponse.make(Envelope(message: "Webhook created", data: WebhookView(webhook: created, includeSecret: true)), status: .created)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let (page, pageSize) = try Pagination.parse(request.uri.queryParameters)
        let filter = WebhookFilter(
            scope: identity.tenantId,
            tenantId: try WebhookService.readTenant(for: identity, requested: try RequestParsing.id(request, "tenant_id")),
            status: try RequestParsing.value(request, "status", as: WebhookStatus.self),
            eventType: RequestParsing.string(request, "event_type"),
            associationType: try RequestParsing.value(request, "association_type", as: AssociationType.self),
            associationId: RequestParsing.string(request, "association_id"))
        let result = try await webhooks.list(filter, page: page, pageSize: pageSize)
        return try PageView.response(result.items.map { WebhookView(webhook: $0, includeSecret: false) }, page: page, pageSize: pageSize, total: result.total)
    }

    func get(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await webhooks.get(try RequestParsing.pathID(context, "webhook_id"), identity)
        return try JSONResponse.make(Envelope(data: WebhookView(webhook: webhook, includeSecret: identity.role == .admin)))
    }

    func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let id = try RequestParsing.pathID(context, "webhook_id")
        let input = try await WebhookInput.read(from: request, limit: Self.bodyLimit)
        let updated = try await webhooks.update(id, input, by: identity)
        return try JSONResponse.make(Envelope(message: "Webhook updated", data: WebhookView(webhook: updated, includeSecret: true)))
    }

    func delete(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        _ = try await webhooks.delete(try RequestParsing.pathID(context, "webhook_id"), by: identity)
        return Response(status: .noContent)
    }

    func setEnabled(_ enabled: Bool, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let webhook = try await webhooks.setEnabled(try RequestParsing.pathID(context, "webhook_id"), enabled, by: identity)
        return try JSONResponse.make(
            Envelope(
                message: enabled ? "Webhook enabled" : "Webhook disabled",
                data: WebhookView(webhook: webhook, includeSecret: false)))
    }

    struct RotateRequest: Decodable {
        var secret: String?
        var grace_period_seconds: Int?
    }

    func rotate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let id = try RequestParsing.pathID(context, "webhook_id")
        let body = try await BodyReader.decodeIfPresent(RotateRequest.self, from: request, limit: 16 << 10) ?? RotateRequest()
        let webhook = try await webhooks.rotateSecret(id, newSecret: body.secret, grace: body.grace_period_seconds.map { TimeInterval($0) }, by: identity)
        return try JSONResponse.make(Envelope(message: "Secret rotated", data: WebhookView(webhook: webhook, includeSecret: true)))
    }

    func test(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let webhook = try await webhooks.get(try RequestParsing.pathID(context, "webhook_id"), identity)
        let sent = await testSends.send(webhook, by: identity)
        return try JSONResponse.make(Envelope(message: sent.outcome.success ? "Test request sent" : "Test request failed", data: TestResultView(sent)))
    }

    func logs(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await webhooks.get(try RequestParsing.pathID(context, "webhook_id"), identity)
        let (page, pageSize) = try Pagination.parse(request.uri.queryParameters)
        let filter = AttemptFilter(
            scope: identity.tenantId, webhookId: webhook.id, success: try RequestParsing.outcome(request),
            eventType: RequestParsing.string(request, "event_type"),
            since: try RequestParsing.date(request, "since"), until: try RequestParsing.date(request, "until"),
            test: try RequestParsing.bool(request, "test"))
        let result = try await logs.list(filter, page: page, pageSize: pageSize)
        return try PageView.response(result.items.map(AttemptView.init), page: page, pageSize: pageSize, total: result.total)
    }

    func stats(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await webhooks.get(try RequestParsing.pathID(context, "webhook_id"), identity)
        return try JSONResponse.make(Envelope(data: try await Self.stats(of: webhook, request, logs)))
    }

    /// Stats over `?hours=` (1 to 720, default 24), the series in buckets of `StatsView.bucketSeconds(hours:)`.
    static func stats(of webhook: Webhook, _ request: Request, _ logs: AttemptLogService) async throws -> StatsView {
        let hours = try RequestParsing.int(request, "hours", in: 1...720) ?? 24
        let since = Date().addingTimeInterval(-Double(hours) * 3600)
        let width = StatsView.bucketSeconds(hours: hours)
        let stats = try await logs.stats(of: webhook, since: since, bucketSeconds: width)
        return StatsView(webhookId: webhook.id, hours: hours, since: since, bucketSeconds: width, stats)
    }

    func webhookTasks(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await webhooks.get(try RequestParsing.pathID(context, "webhook_id"), identity)
        let (page, pageSize) = try Pagination.parse(request.uri.queryParameters)
        let filter = TaskFilter(
            scope: identity.tenantId, webhookId: webhook.id,
            status: try RequestParsing.value(request, "status", as: TaskStatus.self))
        let result = try await tasks.list(filter, page: page, pageSize: pageSize)
        return try PageView.response(result.items.map(TaskView.init), page: page, pageSize: pageSize, total: result.total)
    }
}
