import Foundation
import Storage
import WebhookCore

/// The registry's tables in memory: webhooks, delivery tasks, attempts and users, with the rules the
/// registry's handlers rely on from PostgreSQL: tenant scoping (a row of another tenant is not
/// found), newest-first paging with a total, one URL per tenant and one account per name
/// (`StorageError.conflict`), and a deleted webhook taking its tasks and attempts with it.
///
/// `webhooks`, `tasks`, `attempts` and `users` are the repositories to hand to the registry; the
/// `add...` methods record what delivery would have recorded, so task and log routes have rows.
public actor InMemoryDatabase {
    var webhookRows: [Int64: Webhook] = [:]
    /// Stored compiled pattern sizes, by webhook id (as the `pattern_size` column).
    var patternSizes: [Int64: Int] = [:]
    var taskRows: [Int64: TaskRecord] = [:]
    var attemptRows: [Int64: DeliveryAttempt] = [:]
    var userRows: [Int64: UserRecord] = [:]
    /// Events by tenant scope (the tenant id, -1 for none) and id.
    var eventRows: [EventKey: EventRecord] = [:]
    var portalRows: [UUID: PortalSessionRecord] = [:]
    /// The event-type catalogue, seeded on first use.
    var eventTypeTable: [String: EventTypeRecord]?
    var lastID: Int64 = 0
    /// When set, every repository call fails with it (a database outage).
    var failure: StorageError?

    public init() {}

    struct EventKey: Hashable {
        let scope: Int64
        let id: String
    }

    /// The webhook repository over these tables.
    public nonisolated var webhooks: InMemoryWebhookRepository { InMemoryWebhookRepository(database: self) }
    /// The task repository over these tables.
    public nonisolated var tasks: InMemoryTaskRepository { InMemoryTaskRepository(database: self) }
    /// The attempt-log repository over these tables.
    public nonisolated var attempts: InMemoryAttemptLogRepository { InMemoryAttemptLogRepository(database: self) }
    /// The user repository over these tables.
    public nonisolated var users: InMemoryUserRepository { InMemoryUserRepository(database: self) }
    /// The portal-session repository over these tables.
    public nonisolated var portalSessions: InMemoryPortalSessionRepository { InMemoryPortalSessionRepository(database: self) }
    /// The event-type catalogue over these tables.
    public nonisolated var eventTypes: InMemoryEventTypeRepository { InMemoryEventTypeRepository(database: self) }

    /// Makes every later repository call fail with `error` (`nil`: work again).
    public func setFailure(_ error: StorageError?) { failure = error }

    /// The stored webhook `id`, whatever its tenant.
    public func webhook(_ id: Int64) -> Webhook? { webhookRows[id] }

    /// The stored task `id` (tenant and URL as its webhook has them now).
    public func task(_ id: Int64) -> TaskRecord? { taskRows[id].map(joined) }

    /// One sequence for every table: a handler that looks a row up by the wrong kind of id finds
    /// nothing, instead of another row that happens to share the number.
    func nextID() -> Int64 {
        lastID += 1
        return lastID
    }

    func check() throws(StorageError) {
        if let failure { throw failure }
    }

    /// `scope` sees `tenantId`.
    static func visible(_ tenantId: Int64, to scope: Int64?) -> Bool { scope.map { $0 == tenantId } ?? true }

    /// Page `page` (1-based) of `rows`, already in order, and the total.
    static func page<T>(_ rows: [T], page: Int, pageSize: Int) -> (items: [T], total: Int) {
        let start = min(rows.count, (page - 1) * pageSize)
        return (Array(rows[start..<min(rows.count, start + pageSize)]), rows.count)
    }
}
