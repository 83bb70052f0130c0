import Foundation
import Logging
import PostgresNIO
import WebhookCore

/// Webhooks in PostgreSQL. Every read and write takes the caller's tenant scope: `nil` means every
/// tenant (an operator), otherwise rows of other tenants are invisible.
public struct WebhookStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        id, tenant_id, name, description, url, secret, headers::text, events, resource_key_pattern,
        association_type, association_id, status, disabled_reason, retry_enabled, max_attempts,
        signature_header, event_header, created_by, updated_by, created_at, updated_at, last_error,
        previous_secret, previous_secret_expires_at, filter::text, rate_limit, max_in_flight, retry_schedule
        """

    /// Stores a new webhook and returns it with its id and timestamps.
    /// - Throws: `StorageError.conflict` when the tenant already has a webhook with that URL.
    public func create(_ w: Webhook) async throws(StorageError) -> Webhook {
        try await storage {
            let rows = try await client.query(
                """
                INSERT INTO webhooks (tenant_id, name, description, url, secret, headers, events, resource_key_pattern,
                    association_type, association_id, status, disabled_reason, retry_enabled, max_attempts,
                    signature_header, event_header, created_by, updated_by, filter, rate_limit, max_in_flight, retry_schedule)
                VALUES (\(w.tenantId), \(w.name), \(w.description), \(w.url), \(w.secret), \(JSONColumn.encode(w.headers))::jsonb,
                    \(w.events), \(w.resourceKeyPattern), \(w.associationType.rawValue), \(w.associationId), \(w.status.rawValue),
                    \(w.disabledReason), \(w.retryEnabled), \(w.maxAttempts), \(w.signatureHeader), \(w.eventHeader),
                    \(w.createdBy), \(w.updatedBy), \(JSONColumn.encode(filter: w.filter))::jsonb,
                    \(w.rateLimit), \(w.maxInFlight), \(w.retrySchedule))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            for try await row in rows { return try Self.decode(row) }
            throw StorageError.failed("insert returned no row")
        }
    }

    /// The webhook `id`, if it exists within `tenantId`'s scope. Bounded by `DeliveryStore.deadline`:
    /// the delivery stage reads it for every queued task, and a read on a connection the server
    /// dropped during a restart must not hold the task forever.
    public func get(id: Int64, tenantId: Int64?) async throws(StorageError) -> Webhook? {
        let client = self.client, logger = self.logger
        return try await storage(deadline: DeliveryStore.deadline) {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM webhooks
                WHERE id = \(id) AND (\(tenantId)::bigint IS NULL OR tenant_id = \(tenantId))
                """, logger: logger)
            for try await row in rows { return try Self.decode(row) }
            return nil
        }
    }

    /// A page of webhooks, newest first, and the total count.
    public func list(tenantId: Int64?, page: Int, pageSize: Int) async throws(StorageError) -> (items: [Webhook], total: Int) {
        try await list(WebhookFilter(scope: tenantId), page: page, pageSize: pageSize)
    }

    /// A page of the webhooks `filter` selects, newest first, and the total count.
    public func list(_ filter: WebhookFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [Webhook], total: Int) {
        try await client.listPage(
            columns: Self.columns, order: "ORDER BY id DESC", page: page, pageSize: pageSize, logger: logger,
            selection: { what, tail in Self.selection(filter, head: "SELECT \(what) FROM webhooks", tail: tail) }, decode: Self.decode)
    }

    /// `head WHERE <filter> tail`; `head` and `tail` are fixed SQL, the filter's values are bound.
    static func selection(_ filter: WebhookFilter, head: String, tail: String) -> PostgresQuery {
        let candidates = filter.eventType.map(filterCandidates(for:))
        return """
            \(unescaped: head)
            WHERE (\(filter.scope)::bigint IS NULL OR tenant_id = \(filter.scope))
              AND (\(filter.tenantId)::bigint IS NULL OR tenant_id = \(filter.tenantId))
              AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue))
              AND (\(candidates)::text[] IS NULL OR events && \(candidates)::text[])
              AND (\(filter.associationType?.rawValue)::text IS NULL OR association_type = \(filter.associationType?.rawValue))
              AND (\(filter.associationId)::text IS NULL OR association_id = \(filter.associationId))
            \(unescaped: tail)
            """
    }

    /// Writes every mutable field of `w` (found by id within `tenantId`'s scope) and returns the stored
    /// row, or `nil` when no such webhook is visible.
    /// - Throws: `StorageError.conflict` when the new URL is taken within the tenant.
    public func update(_ w: Webhook, tenantId: Int64?) async throws(StorageError) -> Webhook? {
        try await storage {
            let rows = try await client.query(
                """
                UPDATE webhooks SET name = \(w.name), description = \(w.description), url = \(w.url), secret = \(w.secret),
                    headers = \(JSONColumn.encode(w.headers))::jsonb, events = \(w.events), resource_key_pattern = \(w.resourceKeyPattern),
                    association_type = \(w.associationType.rawValue), association_id = \(w.associationId), status = \(w.status.rawValue),
                    disabled_reason = \(w.disabledReason), retry_enabled = \(w.retryEnabled), max_attempts = \(w.maxAttempts),
                    signature_header = \(w.signatureHeader), event_header = \(w.eventHeader), updated_by = \(w.updatedBy),
                    filter = \(JSONColumn.encode(filter: w.filter))::jsonb,
                    rate_limit = \(w.rateLimit), max_in_flight = \(w.maxInFlight), retry_schedule = \(w.retrySchedule),
                    previous_secret = \(w.previousSecret), previous_secret_expires_at = \(w.previousSecretExpiresAt), updated_at = now(),
                    -- Enabled again: the failure history that disabled it starts over (otherwise the
                    -- next failed task would disable it at once).
                    consecutive_failed_tasks = CASE WHEN \(w.status.rawValue) = 'active' AND status <> 'active' THEN 0
                                                    ELSE consecutive_failed_tasks END,
                    failing_since = CASE WHEN \(w.status.rawValue) = 'active' AND status <> 'active' THEN NULL ELSE failing_since END,
                    -- A new pattern's size is stored by `setPatternSize`; until then it is measured again.
                    pattern_size = CASE WHEN resource_key_pattern IS NOT DISTINCT FROM \(w.resourceKeyPattern) THEN pattern_size END
                WHERE id = \(w.id) AND (\(tenantId)::bigint IS NULL OR tenant_id = \(tenantId))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            for try await row in rows { return try Self.decode(row) }
            return nil
        }
    }

    /// Deletes webhook `id` within `tenantId`'s scope (its tasks and attempts go with it); returns the
    /// deleted row, or `nil` when no such webhook is visible.
    public func delete(id: Int64, tenantId: Int64?) async throws(StorageError) -> Webhook? {
        try await storage {
            let rows = try await client.query(
                """
                WITH gone AS (
                    DELETE FROM webhooks WHERE id = \(id) AND (\(tenantId)::bigint IS NULL OR tenant_id = \(tenantId))
                    RETURNING \(unescaped: Self.columns)
                ), tasks AS (
                    -- Neither tasks nor attempts have a foreign key to their webhook (migrations 12 and 22).
                    DELETE FROM delivery_tasks t USING gone g WHERE t.webhook_id = g.id
                ), attempts AS (
                    DELETE FROM delivery_attempts a USING gone g WHERE a.webhook_id = g.id
                )
                SELECT * FROM gone
                """, logger: logger)
            for try await row in rows { return try Self.decode(row) }
            return nil
        }
    }

    /// Active webhooks subscribed to `eventType` (exact, `prefix.*` or `*`) within the event's tenant
    /// (every tenant for a platform-wide event).
    public func activeSubscribers(eventType: String, tenantId: Int64?) async throws(StorageError) -> [Webhook] {
        try await storage {
            let candidates = Self.filterCandidates(for: eventType)
            var result: [Webhook] = []
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM webhooks
                WHERE status = 'active' AND events && \(candidates)::text[]
                  AND (\(tenantId)::bigint IS NULL OR tenant_id = \(tenantId))
                """, logger: logger)
            for try await row in rows { result.append(try Self.decode(row)) }
            return result
        }
    }

    /// Every filter string that selects `eventType`: itself, `*`, and each `prefix.*`.
    static func filterCandidates(for eventType: String) -> [String] {
        var candidates = [eventType, "*"]
        let parts = eventType.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count > 1 {
            for n in 1..<parts.count { candidates.append(parts.prefix(n).joined(separator: ".") + ".*") }
        }
        return candidates
    }

    static func decode(_ row: PostgresRow) throws -> Webhook {
        let r = row.makeRandomAccess()
        return Webhook(
            id: try r[0].decode(Int64.self),
            tenantId: try r[1].decode(Int64.self),
            name: try r[2].decode(String.self),
            description: try r[3].decode(String.self),
            url: try r[4].decode(String.self),
            secret: try r[5].decode(String.self),
            headers: JSONColumn.decode(try r[6].decode(String?.self)),
            events: try r[7].decode([String].self),
            resourceKeyPattern: try r[8].decode(String?.self),
            filter: JSONColumn.decode(filter: try r[24].decode(String?.self)),
            associationType: AssociationType(rawValue: try r[9].decode(String.self)) ?? .system,
            associationId: try r[10].decode(String?.self),
            status: WebhookStatus(rawValue: try r[11].decode(String.self)) ?? .disabled,
            disabledReason: try r[12].decode(String?.self),
            retryEnabled: try r[13].decode(Bool.self),
            maxAttempts: try r[14].decode(Int.self),
            signatureHeader: try r[15].decode(String.self),
            eventHeader: try r[16].decode(String.self),
            createdBy: try r[17].decode(String.self),
            updatedBy: try r[18].decode(String.self),
            createdAt: try r[19].decode(Date.self),
            updatedAt: try r[20].decode(Date.self),
            lastError: try r[21].decode(String?.self),
            previousSecret: try r[22].decode(String?.self),
            previousSecretExpiresAt: try r[23].decode(Date?.self),
            rateLimit: try r[25].decode(Int?.self),
            maxInFlight: try r[26].decode(Int?.self),
            retrySchedule: try r[27].decode([Int]?.self))
    }
}

extension WebhookStore: WebhookRepository {}
