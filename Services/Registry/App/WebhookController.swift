import Foundation
import Hummingbird
import ServiceKit
import Storage
import WebhookCore

/// The canonical webhook API under `/api/v1/webhooks`.
struct WebhookController: Sendable {
    let webhooks: WebhookStore
    let deliveries: DeliveryStore

    /// Tenant used when a tenant-less admin creates a webhook without naming one.
    static let defaultTenant: Int64 = 1

    struct CreateRequest: Decodable {
        var name: String?
        var description: String?
        var url: String
        var secret: String?
        var events: [String]
        var enabled: Bool?
        var headers: [String: String]?
        var tenant_id: Int64?
        var resource_key_pattern: String?
        var resourceKeyPattern: String?
        var association_type: AssociationType?
        var association_id: String?
        var retry_enabled: Bool?
        var max_attempts: Int?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/api/v1/webhooks")
        group.post { request, context in try await create(request, context) }
        group.get { request, context in try await list(request, context) }
        group.get("{webhook_id}") { request, context in try await get(request, context) }
        group.get("{webhook_id}/logs") { request, context in try await logs(request, context) }
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let body = try await BodyReader.decode(CreateRequest.self, from: request, limit: 64 << 10)
        let tenant: Int64
        switch (identity.tenantId, body.tenant_id) {
        case let (own?, requested?) where own != requested:
            throw APIError.forbidden("you may only create webhooks for tenant \(own)")
        case let (own?, _): tenant = own
        case let (nil, requested): tenant = requested ?? Self.defaultTenant
        }
        do throws(WebhookValidationError) {
            try WebhookValidation.validateURL(body.url)
            try WebhookValidation.validateEvents(body.events)
        } catch {
            throw APIError.badRequest(error.code, error.message)
        }
        if let max = body.max_attempts, !(1...50).contains(max) {
            throw APIError.badRequest("E_INVALID_VALUE", "'max_attempts' must be between 1 and 50")
        }
        let webhook = Webhook(
            tenantId: tenant, name: body.name ?? "", description: body.description ?? "", url: body.url,
            secret: body.secret.flatMap { $0.isEmpty ? nil : $0 } ?? WebhookSigner.generateSecret(),
            headers: body.headers ?? [:], events: body.events,
            resourceKeyPattern: body.resource_key_pattern ?? body.resourceKeyPattern,
            associationType: body.association_type ?? .system, associationId: body.association_id,
            status: body.enabled == false ? .disabled : .active, retryEnabled: body.retry_enabled ?? true,
            maxAttempts: body.max_attempts ?? Webhook.defaultMaxAttempts,
            createdBy: identity.subject, updatedBy: identity.subject)
        let created = try await storeCall { try await webhooks.create(webhook) }
        context.logger.info("webhook created", metadata: ["webhook_id": "\(created.id)", "tenant_id": "\(created.tenantId)"])
        return try JSONResponse.make(Envelope(message: "Webhook created", data: WebhookView(webhook: created, includeSecret: true)), status: .created)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let (page, pageSize) = try Pagination.parse(request.uri.queryParameters)
        let result = try await storeCall { try await webhooks.list(tenantId: identity.tenantId, page: page, pageSize: pageSize) }
        let view = PageView(items: result.items.map { WebhookView(webhook: $0, includeSecret: false) },
                            pagination: PaginationView(page: page, pageSize: pageSize, total: result.total))
        return try JSONResponse.make(Envelope(data: view))
    }

    func get(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await find(context, identity)
        return try JSONResponse.make(Envelope(data: WebhookView(webhook: webhook, includeSecret: identity.role == .admin)))
    }

    func logs(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin, .viewer)
        let webhook = try await find(context, identity)
        let (page, pageSize) = try Pagination.parse(request.uri.queryParameters)
        let result = try await storeCall { try await deliveries.attempts(webhookID: webhook.id, page: page, pageSize: pageSize) }
        let view = PageView(items: result.items.map(AttemptView.init),
                            pagination: PaginationView(page: page, pageSize: pageSize, total: result.total))
        return try JSONResponse.make(Envelope(data: view))
    }

    /// The webhook named by the path, within the caller's tenant; 404 otherwise (never another tenant's).
    private func find(_ context: AppRequestContext, _ identity: Identity) async throws -> Webhook {
        guard let text = context.parameters.get("webhook_id"), let id = Int64(text), id > 0 else {
            throw APIError.notFound("E_NOT_FOUND", "webhook ids are positive integers")
        }
        guard let webhook = try await storeCall({ try await webhooks.get(id: id, tenantId: identity.tenantId) }) else {
            throw APIError.notFound("E_NOT_FOUND", "webhook \(id) does not exist")
        }
        return webhook
    }
}
