/// An event's identity: its publisher-given id within its tenant's scope.
///
/// Publishers choose event ids, so ids are unique within a tenant and never across tenants: two
/// tenants that use the same id (or the same `Idempotency-Key`) have two different events.
/// Tenant-less (system) events form a scope of their own. Stored as `events (tenant_scope, id)` and
/// `delivery_tasks (event_scope, event_id)`.
public struct EventKey: Sendable, Hashable, CustomStringConvertible {
    /// The scope of tenant-less (system) events. Tenant ids are never negative.
    public static let systemScope: Int64 = -1

    /// The tenant id, or `systemScope` for a tenant-less event.
    public var scope: Int64
    /// The event id as the publisher gave it (or as derived from its body or `Idempotency-Key`).
    public var id: String

    public init(scope: Int64, id: String) {
        self.scope = scope
        self.id = id
    }

    /// The scope of an event of `tenantId` (`nil`: a system event).
    public static func scope(of tenantId: Int64?) -> Int64 { tenantId ?? systemScope }

    public var description: String { scope == Self.systemScope ? "system/\(id)" : "\(scope)/\(id)" }

    /// The `webhook-id` header of every delivery of this event: `msg_` and the first 32 hex digits
    /// of SHA-256 over `"<scope>/<id>"` (the scope in decimal, which holds no `/`, so the first `/`
    /// separates the two unambiguously). The same for every endpoint, retry and redelivery of the
    /// event, and different for the same id in two tenants — what receivers deduplicate on (the
    /// Standard Webhooks and Svix convention). Needs no database row, so it is known before the POST.
    public var messageID: String {
        var material = Array(String(scope).utf8)
        material.append(UInt8(ascii: "/"))
        material.append(contentsOf: id.utf8)
        return "msg_" + Hashing.sha256Hex(material).prefix(32)
    }
}

extension Event {
    /// The event's identity: its id within its tenant's scope.
    public var key: EventKey { EventKey(scope: EventKey.scope(of: tenantId), id: id) }
}
