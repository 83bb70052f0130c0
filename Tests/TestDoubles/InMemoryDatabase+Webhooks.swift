import Foundation
import Storage
import WebhookCore

extension InMemoryDatabase {
    func createWebhook(_ w: Webhook) throws(StorageError) -> Webhook {
        try check()
        if webhookRows.values.contains(where: { $0.tenantId == w.tenantId && $0.url == w.url }) {
            throw .conflict(constraint: StorageConstraint.webhookURL)
        }
        var stored = w
        stored.id = nextID()
        stored.createdAt = Date()
        stored.updatedAt = stored.createdAt
        // Columns an insert does not write.
        stored.lastError = nil
        stored.previousSecret = nil
        stored.previousSecretExpiresAt = nil
        webhookRows[stored.id] = stored
        return stored
    }

    func getWebhook(id: Int64, tenantId: Int64?) throws(StorageError) -> Webhook? {
        try check()
        return webhookRows[id].flatMap { Self.visible($0.tenantId, to: tenantId) ? $0 : nil }
    }

    func listWebhooks(_ f: WebhookFilter, page: Int, pageSize: Int) throws(StorageError) -> (items: [Webhook], total: Int) {
        try check()
        let rows = webhookRows.values.filter { w in
            Self.visible(w.tenantId, to: f.scope) && Self.visible(w.tenantId, to: f.tenantId)
                && (f.status.map { $0 == w.status } ?? true)
                && (f.eventType.map { EventTypeFilter.matchesAny(w.events, type: $0) } ?? true)
                && (f.associationType.map { $0 == w.associationType } ?? true)
                && (f.associationId.map { $0 == w.associationId } ?? true)
        }
        return Self.page(rows.sorted { $0.id > $1.id }, page: page, pageSize: pageSize)
    }

    func updateWebhook(_ w: Webhook, tenantId: Int64?) throws(StorageError) -> Webhook? {
        try check()
        guard let current = webhookRows[w.id], Self.visible(current.tenantId, to: tenantId) else { return nil }
        if webhookRows.values.contains(where: { $0.id != w.id && $0.tenantId == current.tenantId && $0.url == w.url }) {
            throw .conflict(constraint: StorageConstraint.webhookURL)
        }
        var stored = w
        // Columns an update does not write.
        stored.tenantId = current.tenantId
        stored.createdBy = current.createdBy
        stored.createdAt = current.createdAt
        stored.lastError = current.lastError
        stored.updatedAt = Date()
        if stored.resourceKeyPattern != current.resourceKeyPattern { patternSizes[w.id] = nil }
        webhookRows[w.id] = stored
        return stored
    }

    func deleteWebhook(id: Int64, tenantId: Int64?) throws(StorageError) -> Webhook? {
        try check()
        guard let current = webhookRows[id], Self.visible(current.tenantId, to: tenantId) else { return nil }
        webhookRows[id] = nil
        patternSizes[id] = nil
        taskRows = taskRows.filter { $0.value.webhookId != id }
        attemptRows = attemptRows.filter { $0.value.webhookId != id }
        return current
    }

    func patternUsage(tenantId: Int64, excluding: Int64?) throws(StorageError) -> PatternUsage {
        try check()
        var usage = PatternUsage(count: 0, knownSize: 0, unmeasured: [])
        for w in webhookRows.values where w.tenantId == tenantId && w.id != excluding {
            guard let pattern = w.resourceKeyPattern else { continue }
            usage.count += 1
            if let size = patternSizes[w.id] { usage.knownSize += size } else { usage.unmeasured.append(pattern) }
        }
        return usage
    }

    func setPatternSize(id: Int64, pattern: String, size: Int) throws(StorageError) {
        try check()
        if webhookRows[id]?.resourceKeyPattern == pattern { patternSizes[id] = size }
    }
}

/// `WebhookRepository` over an `InMemoryDatabase`.
public struct InMemoryWebhookRepository: WebhookRepository {
    let database: InMemoryDatabase

    public func create(_ w: Webhook) async throws(StorageError) -> Webhook { try await database.createWebhook(w) }
    public func get(id: Int64, tenantId: Int64?) async throws(StorageError) -> Webhook? { try await database.getWebhook(id: id, tenantId: tenantId) }
    public func list(_ filter: WebhookFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [Webhook], total: Int) {
        try await database.listWebhooks(filter, page: page, pageSize: pageSize)
    }
    public func update(_ w: Webhook, tenantId: Int64?) async throws(StorageError) -> Webhook? { try await database.updateWebhook(w, tenantId: tenantId) }
    public func delete(id: Int64, tenantId: Int64?) async throws(StorageError) -> Webhook? { try await database.deleteWebhook(id: id, tenantId: tenantId) }
    public func patternUsage(tenantId: Int64, excluding: Int64?) async throws(StorageError) -> PatternUsage {
        try await database.patternUsage(tenantId: tenantId, excluding: excluding)
    }
    public func setPatternSize(id: Int64, pattern: String, size: Int) async throws(StorageError) {
        try await database.setPatternSize(id: id, pattern: pattern, size: size)
    }
}
