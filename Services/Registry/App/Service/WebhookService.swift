import Foundation
import Logging
import ServiceKit
import Storage
import WebhookCore

/// Webhook management shared by every API dialect: tenant scoping, validation, storage and control
/// notices. Routers only translate shapes.
struct WebhookService: Sendable {
    let webhooks: any WebhookRepository
    let notifier: ControlNotifier
    let logger: Logger
    var patternBudget: PatternBudgetCheck { PatternBudgetCheck(webhooks: webhooks) }

    /// Tenant used when a tenant-less admin creates a webhook without naming one.
    static let defaultTenant: Int64 = 1
    /// How long a rotated-out secret keeps signing by default (24 h).
    static let defaultGracePeriod: TimeInterval = 24 * 3600
    /// Longest grace period accepted (30 days).
    static let maximumGracePeriod: TimeInterval = 30 * 24 * 3600

    /// Defaults a dialect gives new webhooks.
    struct CreateDefaults {
        /// Event filters when the request names none; `nil` makes `events` required.
        var events: [String]?
        var signatureHeader = Webhook.defaultSignatureHeader
        var eventHeader = Webhook.defaultEventHeader
    }

    /// The tenant a write by `identity` goes to: its own, or the requested one for a tenant-less admin.
    static func tenant(for identity: Identity, requested: Int64?) throws -> Int64 {
        switch (identity.tenantId, requested) {
        case let (own?, requested?) where own != requested:
            throw APIError.forbidden("you may only manage webhooks of tenant \(own)")
        case let (own?, _): return own
        case let (nil, requested?):
            guard requested > 0 else { throw APIError.badRequest("E_INVALID_VALUE", "'tenant_id' must be a positive integer") }
            return requested
        case (nil, nil): return defaultTenant
        }
    }

    /// The tenant a read by `identity` narrows to; 403 when it asks for another tenant.
    static func readTenant(for identity: Identity, requested: Int64?) throws -> Int64? {
        if let own = identity.tenantId, let requested, requested != own {
            throw APIError.forbidden("you may only read webhooks of tenant \(own)")
        }
        return requested
    }

    func create(_ input: WebhookInput, by identity: Identity, defaults: CreateDefaults) async throws -> Webhook {
        let tenant = try Self.tenant(for: identity, requested: try input.tenantId.resolveOptional(nil))
        if !input.events.isPresent, defaults.events == nil {
            throw APIError.badRequest("E_MISSING_FIELD", "field 'events' is required")
        }
        let template = Webhook(
            tenantId: tenant, url: "", secret: WebhookSigner.generateSecret(), events: defaults.events ?? [],
            signatureHeader: defaults.signatureHeader, eventHeader: defaults.eventHeader,
            createdBy: identity.subject, updatedBy: identity.subject)
        let webhook = try input.apply(to: template, creating: true)
        let patternSize = try await patternBudget.check(webhook, replacing: nil)
        let created = try await storeCall { try await webhooks.create(webhook) }
        await patternBudget.record(created, size: patternSize)
        logger.info("webhook created", metadata: ["webhook_id": "\(created.id)", "tenant_id": "\(created.tenantId)", "by": "\(identity.subject)"])
        await notifier.notify(.created, created)
        return created
    }

    func list(_ filter: WebhookFilter, page: Int, pageSize: Int) async throws -> (items: [Webhook], total: Int) {
        try await storeCall { try await webhooks.list(filter, page: page, pageSize: pageSize) }
    }

    /// Webhook `id` within the caller's tenant; 404 otherwise (never another tenant's).
    func get(_ id: Int64, _ identity: Identity) async throws -> Webhook {
        guard let webhook = try await storeCall({ try await webhooks.get(id: id, tenantId: identity.tenantId) }) else {
            throw Self.notFound(id)
        }
        return webhook
    }

    func update(_ id: Int64, _ input: WebhookInput, by identity: Identity) async throws -> Webhook {
        let current = try await get(id, identity)
        if let requested = input.tenantId.value, requested != current.tenantId {
            throw APIError.badRequest("E_INVALID_VALUE", "a webhook cannot move to another tenant; create a new one")
        }
        var changed = try input.apply(to: current, creating: false)
        changed.updatedBy = identity.subject
        return try await save(changed, identity, was: current)
    }

    /// Enables or disables webhook `id`. Enabling checks first that delivery can send it (a row
    /// stored before today's rules may break them: migration 17 disabled those).
    func setEnabled(_ id: Int64, _ enabled: Bool, by identity: Identity) async throws -> Webhook {
        let current = try await get(id, identity)
        if enabled { try WebhookRules.validateDeliverable(current) }
        var webhook = current
        webhook.status = enabled ? .active : .disabled
        webhook.disabledReason = nil
        webhook.updatedBy = identity.subject
        return try await save(webhook, identity, was: current)
    }

    func toggle(_ id: Int64, by identity: Identity) async throws -> Webhook {
        let webhook = try await get(id, identity)
        return try await setEnabled(id, webhook.status != .active, by: identity)
    }

    /// Replaces the secret; the old one keeps signing (next to the new one) for `grace` seconds.
    func rotateSecret(_ id: Int64, newSecret: String?, grace: TimeInterval?, by identity: Identity) async throws -> Webhook {
        let grace = grace ?? Self.defaultGracePeriod
        guard grace >= 0, grace <= Self.maximumGracePeriod else {
            throw APIError.badRequest("E_INVALID_VALUE", "'grace_period_seconds' must be between 0 and \(Int(Self.maximumGracePeriod))")
        }
        let current = try await get(id, identity)
        var webhook = current
        webhook.previousSecret = webhook.secret
        webhook.previousSecretExpiresAt = grace > 0 ? Date().addingTimeInterval(grace) : nil
        webhook.secret = newSecret.flatMap { $0.isEmpty ? nil : $0 } ?? WebhookSigner.generateSecret()
        webhook.updatedBy = identity.subject
        try WebhookRules.validate(webhook)
        return try await save(webhook, identity, was: current)
    }

    func delete(_ id: Int64, by identity: Identity) async throws -> Webhook {
        guard let deleted = try await storeCall({ try await webhooks.delete(id: id, tenantId: identity.tenantId) }) else {
            throw Self.notFound(id)
        }
        logger.info("webhook deleted", metadata: ["webhook_id": "\(id)", "tenant_id": "\(deleted.tenantId)", "by": "\(identity.subject)"])
        await notifier.notify(.deleted, deleted)
        return deleted
    }

    /// Stores `webhook`, which was `current`. The pattern budgets are checked when the pattern
    /// changes or the webhook becomes active again; disabling or rotating a secret never waits on them.
    private func save(_ webhook: Webhook, _ identity: Identity, was current: Webhook) async throws -> Webhook {
        let budgetMatters =
            webhook.resourceKeyPattern != current.resourceKeyPattern
            || (webhook.status == .active && current.status != .active)
        let patternSize = budgetMatters ? try await patternBudget.check(webhook, replacing: webhook.id) : nil
        guard let saved = try await storeCall({ try await webhooks.update(webhook, tenantId: identity.tenantId) }) else {
            throw Self.notFound(webhook.id)
        }
        await patternBudget.record(saved, size: patternSize)
        logger.info("webhook updated", metadata: ["webhook_id": "\(saved.id)", "tenant_id": "\(saved.tenantId)", "by": "\(identity.subject)"])
        await notifier.notify(.updated, saved)
        if saved.status == .active && current.status != .active {
            await notifier.announce(OperationalEvents.enabled(saved, by: identity.subject, at: Date()))
        }
        return saved
    }

    static func notFound(_ id: Int64) -> APIError { .notFound("E_NOT_FOUND", "webhook \(id) does not exist") }
}
