import Foundation
import PostgresNIO
import WebhookCore

/// An event the fan-out stage is about to attempt: its key, and whether its message was a broker
/// redelivery (then its tasks, if stored, are wanted too).
public struct EventLookup: Sendable {
    public var key: EventKey
    public var redelivered: Bool

    public init(key: EventKey, redelivered: Bool) {
        self.key = key
        self.redelivered = redelivered
    }
}

/// What the database holds of an event before the fan-out stage attempts it.
public enum StoredEvent: Sendable, Equatable {
    /// Not stored: attempt it, then write it.
    case absent
    /// Stored, and its message was not a redelivery: a duplicate publish.
    case duplicate
    /// Stored, and its message was a redelivery: its tasks as stored (those still pending with no
    /// attempt are resumed; the others were attempted already).
    case redelivered(tasks: [DeliveryTask])
}

extension DeliveryStore {
    /// Which of `items`' events are stored, and the stored tasks of the redelivered ones: one
    /// read-only statement for the batch (no write, no WAL). One result per item, in order.
    public func lookUpEvents(_ items: [EventLookup]) async throws(StorageError) -> [StoredEvent] {
        guard !items.isEmpty else { return [] }
        let resumable = items.filter(\.redelivered).map(\.key)
        let statement = LookUpEventsStatement(
            scopes: items.map(\.key.scope), ids: items.map { storable($0.key.id) },
            resumableScopes: resumable.map(\.scope), resumableIDs: resumable.map { storable($0.id) })
        let (stored, tasks) = try await storage(deadline: Self.deadline) {
            var stored = Set<EventKey>()
            var tasks: [EventKey: [DeliveryTask]] = [:]
            for row in try await run(statement) {
                switch row {
                case .event(let key): stored.insert(key)
                case .task(let task): tasks[task.eventKey, default: []].append(task)
                }
            }
            return (stored, tasks)
        }
        return items.map { item in
            let key = EventKey(scope: item.key.scope, id: storable(item.key.id))
            guard stored.contains(key) else { return .absent }
            return item.redelivered ? .redelivered(tasks: (tasks[key] ?? []).sorted { $0.id < $1.id }) : .duplicate
        }
    }
}

/// Group batching of the fan-out stage's look-ups: events consumed at the same time share one
/// read (as their writes share one commit).
public typealias EventLookups = GroupCommit<EventLookup, StoredEvent>

extension GroupCommit where Item == EventLookup, Output == StoredEvent {
    /// Reads through `DeliveryStore.lookUpEvents`.
    public convenience init(store: DeliveryStore, maximumBatch: Int = 500, maximumConcurrentWrites: Int = 1) {
        self.init(maximumBatch: maximumBatch, maximumConcurrentWrites: maximumConcurrentWrites) { items throws(StorageError) in
            try await store.lookUpEvents(items)
        }
    }
}

/// The look-up statement. Row kind 0: a stored event's key (columns 1 and 2); kind 1: a stored task
/// of a redelivered event (from column 3). Both are found through primary or unique keys.
struct LookUpEventsStatement: BatchStatement {
    enum Row {
        case event(EventKey)
        case task(DeliveryTask)
    }

    static let sql = """
        SELECT 0, e.tenant_scope, e.id, NULL::bigint, NULL::text, NULL::bigint, NULL::text, NULL::int, NULL::timestamptz,
               NULL::timestamptz, NULL::int, NULL::bigint
        FROM unnest($1::bigint[], $2::text[]) AS k(scope, id)
        JOIN events e ON e.tenant_scope = k.scope AND e.id = k.id
        UNION ALL
        SELECT 1, t.event_scope, t.event_id, \(DeliveryStore.qualifiedTaskColumns)
        FROM unnest($3::bigint[], $4::text[]) AS r(scope, id)
        JOIN delivery_tasks t ON t.event_scope = r.scope AND t.event_id = r.id
        -- Skipped at once when no event is redelivered (the common case).
        WHERE cardinality($3::bigint[]) > 0
        """

    var scopes: [Int64]
    var ids: [String]
    /// The redelivered events, whose stored tasks are wanted.
    var resumableScopes: [Int64]
    var resumableIDs: [String]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(scopes)
        bindings.append(ids)
        bindings.append(resumableScopes)
        bindings.append(resumableIDs)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let r = row.makeRandomAccess()
        if try r[0].decode(Int.self) == 0 {
            return .event(EventKey(scope: try r[1].decode(Int64.self), id: try r[2].decode(String.self)))
        }
        return .task(try DeliveryStore.decodeTask(r, from: 3))
    }
}
