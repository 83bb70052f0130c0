import WebhookCore

/// The webhook operations the registry's service layer uses. `WebhookStore` is the PostgreSQL
/// implementation; tests use an in-memory one.
///
/// Every call takes the caller's tenant scope: `nil` means every tenant (an operator), otherwise
/// webhooks of other tenants are invisible, as if they did not exist.
public protocol WebhookRepository: Sendable {
    /// Stores a new webhook and returns it with its id and timestamps.
    /// - Throws: `StorageError.conflict(constraint: StorageConstraint.webhookURL)` when the tenant
    ///   already has a webhook with that URL.
    func create(_ w: Webhook) async throws(StorageError) -> Webhook

    /// The webhook `id`, if it exists within `tenantId`'s scope.
    func get(id: Int64, tenantId: Int64?) async throws(StorageError) -> Webhook?

    /// A page (1-based) of the webhooks `filter` selects, newest (highest id) first, and their total count.
    func list(_ filter: WebhookFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [Webhook], total: Int)

    /// Writes every mutable field of `w` (found by id within `tenantId`'s scope) and returns the stored
    /// webhook, or `nil` when no such webhook is visible.
    /// - Throws: `StorageError.conflict(constraint: StorageConstraint.webhookURL)` when the new URL
    ///   is taken within the tenant.
    func update(_ w: Webhook, tenantId: Int64?) async throws(StorageError) -> Webhook?

    /// Deletes webhook `id` within `tenantId`'s scope, with its tasks and attempts; returns the
    /// deleted webhook, or `nil` when no such webhook is visible.
    func delete(id: Int64, tenantId: Int64?) async throws(StorageError) -> Webhook?

    /// The pattern usage of `tenantId`'s webhooks other than `excluding`.
    func patternUsage(tenantId: Int64, excluding: Int64?) async throws(StorageError) -> PatternUsage

    /// Remembers the compiled size of webhook `id`'s pattern, if the pattern is still `pattern`.
    func setPatternSize(id: Int64, pattern: String, size: Int) async throws(StorageError)
}

/// Names of the uniqueness rules a `StorageError.conflict` reports, as the schema names them.
public enum StorageConstraint {
    /// One URL per tenant (`webhooks`).
    public static let webhookURL = "webhooks_tenant_url_unique"
    /// One account per username (`users`).
    public static let username = "users_username_key"
    /// One catalogue entry per event type (`event_types`).
    public static let eventType = "event_types_pkey"
}
