import WebhookCore

/// Which webhooks a listing selects. Every field narrows; `nil` means "any".
public struct WebhookFilter: Sendable, Equatable {
    /// The caller's tenant scope: `nil` for a tenant-less operator.
    public var scope: Int64?
    /// An explicit tenant asked for (within the scope).
    public var tenantId: Int64?
    public var status: WebhookStatus?
    /// Webhooks whose event filters select this type (exact, `prefix.*` or `*`).
    public var eventType: String?
    public var associationType: AssociationType?
    public var associationId: String?

    public init(
        scope: Int64?, tenantId: Int64? = nil, status: WebhookStatus? = nil, eventType: String? = nil,
        associationType: AssociationType? = nil, associationId: String? = nil
    ) {
        self.scope = scope
        self.tenantId = tenantId
        self.status = status
        self.eventType = eventType
        self.associationType = associationType
        self.associationId = associationId
    }
}
