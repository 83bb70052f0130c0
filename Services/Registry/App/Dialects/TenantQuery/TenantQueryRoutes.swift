import Foundation
import Hummingbird
import ServiceKit
import Storage
import WebhookCore

/// The tenant-parameter dialect, named after its shape: the tenant is a parameter (`tenant_id` in the
/// body or the query), ids travel in bodies, answers are `{"code","msg","data"}`. Paths:
/// `/api/webhooks` without trailing slash, `/api/webhooks/delete`, `/api/webhooks/tasks`,
/// `/api/webhooks/tasks/retry`. Its create also takes the named shape (`name, url, secret, events` →
/// `webhook_id`, `status` at the top).
struct TenantQueryRoutes: Sendable {
    let webhooks: WebhookService
    let tasks: TaskService

    /// Its clients create endpoints without event filters: they receive every event of the tenant.
    static let defaultEvents = ["*"]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/webhooks/delete") { request, context in try await delete(request, context) }
        router.get("/api/webhooks/tasks") { request, context in try await listTasks(request, context) }
        router.post("/api/webhooks/tasks/retry") { request, context in try await retryTask(request, context) }
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let input = try await WebhookInput.read(from: request, limit: CanonicalWebhookRoutes.bodyLimit)
        let created = try await webhooks.create(input, by: identity, defaults: .init(events: Self.defaultEvents))
        return try JSONResponse.make(
            TenantQueryEnvelope(msg: "success", data: TenantQueryWebhookView(created), webhookId: created.id, status: created.status.rawValue),
            status: .created)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let page = try RequestParsing.int(request, "page", in: 1...1_000_000) ?? 1
        let pageSize = try RequestParsing.int(request, "page_size", in: 1...500) ?? 100
        let filter = WebhookFilter(
            scope: identity.tenantId,
            tenantId: try WebhookService.readTenant(for: identity, requested: try RequestParsing.id(request, "tenant_id")),
            status: try RequestParsing.value(request, "status", as: WebhookStatus.self))
        let result = try await webhooks.list(filter, page: page, pageSize: pageSize)
        return try JSONResponse.make(TenantQueryEnvelope(msg: "success", data: result.items.map(TenantQueryWebhookView.init)))
    }

    struct IDRequest: Decodable {
        let id: Int64
    }

    func delete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let body = try await BodyReader.decode(IDRequest.self, from: request, limit: 4 << 10)
        let deleted = try await webhooks.delete(body.id, by: identity)
        return try JSONResponse.make(TenantQueryEnvelope(msg: "success", data: IDView(id: deleted.id)))
    }

    func listTasks(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let page = try RequestParsing.int(request, "page", in: 1...1_000_000) ?? 1
        let pageSize = try RequestParsing.int(request, "page_size", in: 1...500) ?? 100
        let filter = try TaskFilter.listing(request, for: identity)
        let result = try await tasks.list(filter, page: page, pageSize: pageSize)
        return try JSONResponse.make(TenantQueryEnvelope(msg: "success", data: result.items.map(TaskView.init)))
    }

    func retryTask(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let body = try await BodyReader.decode(IDRequest.self, from: request, limit: 4 << 10)
        let task = try await tasks.retry(body.id, by: identity)
        return try JSONResponse.make(TenantQueryEnvelope(msg: "success", data: IDView(id: task.id)))
    }
}
