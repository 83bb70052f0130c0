import Hummingbird
import ServiceKit
import Storage
import WebhookCore

extension TaskFilter {
    /// The task listing's filter from its query parameters, as the canonical and tenant-parameter
    /// dialects take them: `tenant_id` (an operator's choice; a tenant's token names its own),
    /// `webhook_id` and `status`, within the caller's tenant.
    static func listing(_ request: Request, for identity: Identity) throws -> TaskFilter {
        TaskFilter(
            scope: identity.tenantId,
            tenantId: try WebhookService.readTenant(for: identity, requested: try RequestParsing.id(request, "tenant_id")),
            webhookId: try RequestParsing.id(request, "webhook_id"),
            status: try RequestParsing.value(request, "status", as: TaskStatus.self))
    }
}
