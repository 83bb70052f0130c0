import Foundation
import PostgresNIO
import WebhookCore

/// One event for `recordEvents`: the event, the webhooks it matched, and whether its message was a
/// broker redelivery.
public struct EventRecording: Sendable {
    public var event: Event
    public var webhookIDs: [Int64]
    public var resumeExisting: Bool

    public init(event: Event, webhookIDs: [Int64], resumeExisting: Bool) {
        self.event = event
        self.webhookIDs = webhookIDs
        self.resumeExisting = resumeExisting
    }
}

extension DeliveryStore {
    /// `recordEvent` for many events in one statement (one commit): used by the fan-out stage
    /// through `GroupCommit`. Returns one result per item, in order. An id that appears more than
    /// once in `items` is stored by its first occurrence (resuming when any occurrence is a
    /// redelivery); the later ones are answered as duplicates.
    public func recordEvents(_ items: [EventRecording]) async throws(StorageError) -> [RecordedEvent] {
        guard !items.isEmpty else { return [] }
        // Events are identified by (tenant scope, id): the same id in two tenants is two events.
        var unique: [EventRecording] = []
        var position: [EventKey: Int] = [:]
        for item in items {
            if let at = position[item.event.key] {
                unique[at].resumeExisting = unique[at].resumeExisting || item.resumeExisting
            } else {
                position[item.event.key] = unique.count
                unique.append(item)
            }
        }
        var records = JSONRecordSet(capacity: unique.count * 1536)
        for item in unique {
            let e = item.event
            records.beginRecord()
            records.field("id", e.id)
            records.field("type", e.type)
            records.field("tenant_id", e.tenantId)
            records.field("association_type", e.associationType?.rawValue)
            records.field("association_id", e.associationId)
            records.field("resource_key", e.resourceKey)
            records.field("occurred_at", e.occurredAt)
            records.field("payload", String(decoding: e.messageBody, as: UTF8.self))
            records.field("resume", item.resumeExisting)
            records.field("webhook_ids", "{" + item.webhookIDs.map(String.init).joined(separator: ",") + "}")
            records.endRecord()
        }
        let input = records.finish()
        // Only a redelivered event can have tasks from before this statement: looking them up by
        // these keys alone keeps the lookup on the event index (not on every pending task).
        let resumable = unique.filter(\.resumeExisting).map(\.event.key)
        let statement = RecordEventsStatement(input: input, resumableIDs: resumable.map(\.id), resumableScopes: resumable.map(\.scope))
        let (isNew, tasks) = try await storage(deadline: Self.deadline) {
            var isNew: [EventKey: Bool] = [:]
            var tasks: [EventKey: [DeliveryTask]] = [:]
            for row in try await run(statement) {
                switch row {
                case .event(let key, let new): isNew[key] = new
                case .task(let task) where task.status == .pending && task.attempts == 0:
                    tasks[task.eventKey, default: []].append(task)
                case .task: continue  // a redelivered event's task that was attempted already
                }
            }
            return (isNew, tasks)
        }
        var firstSeen = Set<EventKey>()
        return items.map { item in
            let key = item.event.key
            let merged = unique[position[key]!]
            guard firstSeen.insert(key).inserted, isNew[key] == true || merged.resumeExisting else {
                return RecordedEvent(tasks: [], duplicate: true)
            }
            return RecordedEvent(tasks: (tasks[key] ?? []).sorted { $0.id < $1.id }, duplicate: false)
        }
    }
}

/// Group commit of events for the fan-out stage: events consumed at the same time share one
/// statement and one commit.
public typealias EventRecorder = GroupCommit<EventRecording, RecordedEvent>

extension GroupCommit where Item == EventRecording, Output == RecordedEvent {
    /// Writes through `DeliveryStore.recordEvents`.
    /// One write at a time by default, as `AttemptRecorder` does (and for the same measured reason).
    public convenience init(store: DeliveryStore, maximumBatch: Int = 200, maximumConcurrentWrites: Int = 1) {
        self.init(maximumBatch: maximumBatch, maximumConcurrentWrites: maximumConcurrentWrites) { items throws(StorageError) in
            try await store.recordEvents(items)
        }
    }
}

/// The event batch statement.
///
/// Row kind 0: per event (its key in columns 1 and 11), whether it is new. Kind 1: tasks, those this statement inserted
/// (RETURNING) and, for redelivered events, those that existed before it (its snapshot does not
/// see its own inserts); only those still pending and never attempted are to be attempted.
struct RecordEventsStatement: BatchStatement {
    enum Row {
        case event(key: EventKey, isNew: Bool)
        case task(DeliveryTask)
    }

    static let sql = """
        WITH input AS (
            SELECT *, COALESCE(x.tenant_id, -1) AS scope FROM jsonb_to_recordset($1::jsonb) AS x(
                id text, type text, tenant_id bigint, association_type text, association_id text, resource_key text,
                occurred_at timestamptz, payload text, resume boolean, webhook_ids text)
        ), new_events AS (
            -- tenant_scope is generated from tenant_id: an event is unique per (tenant, id).
            INSERT INTO events (id, type, tenant_id, association_type, association_id, resource_key, occurred_at, payload)
            SELECT id, type, tenant_id, association_type, association_id, resource_key, occurred_at, payload FROM input
            ON CONFLICT (tenant_scope, id) DO NOTHING
            RETURNING tenant_scope, id
        ), decision AS (
            SELECT i.scope, i.id, n.id IS NOT NULL AS is_new, (n.id IS NOT NULL OR i.resume) AS proceed,
                   i.webhook_ids::bigint[] AS webhook_ids
            FROM input i LEFT JOIN new_events n ON n.tenant_scope = i.scope AND n.id = i.id
        ), new_tasks AS (
            INSERT INTO delivery_tasks (event_scope, event_id, webhook_id)
            -- Only webhooks still active here: a replica's index may not yet know that one was
            -- disabled (auto-disabled by another batch, or by an operator) a moment ago. Each is
            -- looked up by its key: as a join on status, the plan made while the table was small
            -- (and kept, the statement being prepared) read every active webhook for every batch.
            SELECT d.scope, d.id, m.webhook_id FROM decision d CROSS JOIN LATERAL unnest(d.webhook_ids) AS m(webhook_id)
            WHERE d.proceed AND (SELECT w.status FROM webhooks w WHERE w.id = m.webhook_id) = 'active'
            ON CONFLICT (event_scope, event_id, webhook_id) DO NOTHING
            RETURNING \(DeliveryStore.taskColumns)
        )
        SELECT 0, d.id, d.is_new, NULL::bigint, NULL::text, NULL::bigint, NULL::text, NULL::int, NULL::timestamptz,
               NULL::timestamptz, NULL::int, d.scope
        FROM decision d
        UNION ALL
        SELECT 1, NULL::text, NULL::boolean, \(DeliveryStore.taskColumns) FROM new_tasks
        UNION ALL
        SELECT 1, NULL::text, NULL::boolean, \(DeliveryStore.qualifiedTaskColumns)
        FROM unnest($2::text[], $3::bigint[]) AS r(event_id, scope)
        JOIN delivery_tasks t ON t.event_scope = r.scope AND t.event_id = r.event_id
        JOIN decision d ON d.scope = r.scope AND d.id = r.event_id
        -- Skipped at once when no event is redelivered (the common case). Status and attempts are
        -- checked by the caller: in the generic plan a condition on them here made PostgreSQL
        -- read the status index's every pending task.
        WHERE cardinality($2::text[]) > 0 AND d.proceed
        """

    /// The batch as `JSONRecordSet` wrote it.
    var input: String
    /// Ids of redelivered events, whose earlier tasks are resumed, and their scopes (same order).
    var resumableIDs: [String]
    var resumableScopes: [Int64]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(input)
        bindings.append(resumableIDs)
        bindings.append(resumableScopes)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let r = row.makeRandomAccess()
        if try r[0].decode(Int.self) == 0 {
            return .event(key: EventKey(scope: try r[11].decode(Int64.self), id: try r[1].decode(String.self)), isNew: try r[2].decode(Bool.self))
        }
        return .task(try DeliveryStore.decodeTask(r, from: 3))
    }
}
