import Foundation
import Hummingbird
import ServiceKit
import Storage
import WebhookCore

/// Canonical routes for delivery tasks, attempt logs and stored events.
struct CanonicalTaskRoutes: Sendable {
    let webhooks: WebhookService
    let tasks: TaskService
    let logs: AttemptLogService

    func addRoutes(to router: Router<AppRequestContext>) {
        let g = router.group("/api/v1")
        g.get("tasks") { request, context in try await listTasks(request, context) }
        g.post("tasks/recover") { request, context in try await recover(request, context) }
        g.get("tasks/{task_id}") { _, context in try await getTask(context) }
        g.post("tasks/{task_id}/retry") { _, context in try await retryTask(context) }
        g.get("logs") { request, context in try await listLogs(request, context) }
        g.get("logs/{log_id}") { _, context in try await getLog(context) }
        g.post("logs/{log_id}/retry") { _, context in try await retryLog(context) }
        g.get("events") { request, context in try await listEvents(request, context) }
        g.get("events/{event_id}") { request, context in try await getEvent(request, context) }
    }

    func listTasks(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let (page, pageSize) = try Pagination.parse(request.uri.queryParameters)
        let filter = try TaskFilter.listing(request, for: identity)
        let result = try await tasks.list(filter, page: page, pageSize: pageSize)
        return try PageView.response(result.items.map(TaskView.init), page: page, pageSize: pageSize, total: result.total)
    }

    func getTask(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let task = try await tasks.get(try RequestParsing.pathID(context, "task_id", code: "E_TASK_NOT_FOUND", what: "task"), identity)
        return try JSONResponse.make(Envelope(data: TaskView(task)))
    }

    func retryTask(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let task = try await tasks.retry(try RequestParsing.pathID(context, "task_id", code: "E_TASK_NOT_FOUND", what: "task"), by: identity)
        return try JSONResponse.make(Envelope(message: "Task scheduled for retry", data: TaskView(task)), status: .accepted)
    }

    struct RecoverRequest: Decodable {
        var since: String
        var until: String?
        var webhook_id: Int64?
        var limit: Int?
    }

    struct RecoverView: Encodable {
        let count: Int
        let task_ids: [Int64]
    }

    func recover(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let body = try await BodyReader.decode(RecoverRequest.self, from: request, limit: 16 << 10)
        let since = try RequestParsing.bodyDate(body.since, "since")
        let until = try body.until.map { text throws -> Date in try RequestParsing.bodyDate(text, "until") }
        let limit = body.limit ?? TaskService.maximumRecover
        guard (1...TaskService.maximumRecover).contains(limit) else {
            throw APIError.badRequest("E_INVALID_VALUE", "'limit' must be between 1 and \(TaskService.maximumRecover)")
        }
        if let webhookId = body.webhook_id { _ = try await webhooks.get(webhookId, identity) }
        let ids = try await tasks.recover(since: since, until: until, webhookId: body.webhook_id, limit: limit, by: identity)
        return try JSONResponse.make(
            Envelope(message: "\(ids.count) failed task(s) scheduled for retry", data: RecoverView(count: ids.count, task_ids: ids)),
            status: .accepted)
    }

    func listLogs(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let (page, pageSize) = try Pagination.parse(request.uri.queryParameters)
        let filter = AttemptFilter(
            scope: identity.tenantId, webhookId: try RequestParsing.id(request, "webhook_id"), success: try RequestParsing.outcome(request),
            eventType: RequestParsing.string(request, "event_type"),
            since: try RequestParsing.date(request, "since"), until: try RequestParsing.date(request, "until"),
            test: try RequestParsing.bool(request, "test"))
        let result = try await logs.list(filter, page: page, pageSize: pageSize)
        return try PageView.response(result.items.map(AttemptView.init), page: page, pageSize: pageSize, total: result.total)
    }

    func getLog(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let id = try RequestParsing.pathID(context, "log_id", code: "E_LOG_NOT_FOUND", what: "log")
        return try JSONResponse.make(Envelope(data: AttemptView(try await logs.get(id, identity))))
    }

    func retryLog(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let id = try RequestParsing.pathID(context, "log_id", code: "E_LOG_NOT_FOUND", what: "log")
        let task = try await tasks.retryAttempt(id, by: identity)
        return try JSONResponse.make(Envelope(message: "Task scheduled for retry", data: TaskView(task)), status: .accepted)
    }

    /// An event with its tasks and their attempts; an operator names the tenant with `tenant_id`
    /// (without it: a tenant-less event).
    func listEvents(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let (page, pageSize) = try Pagination.parse(request.uri.queryParameters)
        let result = try await tasks.events(
            try EventListQuery(request), tenantId: try RequestParsing.id(request, "tenant_id"), identity, page: page, pageSize: pageSize)
        return try PageView.response(result.items.map(EventFields.init), page: page, pageSize: pageSize, total: result.total)
    }

    func getEvent(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let id = context.parameters.get("event_id") ?? ""
        let detail = try await tasks.event(id, tenantId: try RequestParsing.id(request, "tenant_id"), identity)
        return try JSONResponse.make(Envelope(data: EventView(detail)))
    }
}
