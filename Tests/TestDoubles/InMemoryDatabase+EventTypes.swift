import Foundation
import Storage
import WebhookCore

extension InMemoryDatabase {
    func eventTypeRows() -> [String: EventTypeRecord] {
        if let rows = eventTypeTable { return rows }
        // Seeded as migration 28 seeds the table.
        let now = Date()
        var rows: [String: EventTypeRecord] = [:]
        for info in EventCatalogue.all {
            rows[info.type] = EventTypeRecord(
                type: info.type, description: info.description, category: info.category, schema: nil, deprecated: false, createdAt: now,
                updatedAt: now)
        }
        eventTypeTable = rows
        return rows
    }

    func listEventTypes(includeDeprecated: Bool) throws(StorageError) -> [EventTypeRecord] {
        try check()
        return eventTypeRows().values.filter { includeDeprecated || !$0.deprecated }.sorted { $0.type < $1.type }
    }

    func findEventType(_ type: String) throws(StorageError) -> EventTypeRecord? {
        try check()
        return eventTypeRows()[type]
    }

    func createEventType(_ record: EventTypeRecord) throws(StorageError) -> EventTypeRecord {
        try check()
        var rows = eventTypeRows()
        guard rows[record.type] == nil else { throw .conflict(constraint: StorageConstraint.eventType) }
        var stored = record
        stored.createdAt = Date()
        stored.updatedAt = stored.createdAt
        rows[record.type] = stored
        eventTypeTable = rows
        return stored
    }

    func updateEventType(_ type: String, _ change: EventTypeChange) throws(StorageError) -> EventTypeRecord? {
        try check()
        var rows = eventTypeRows()
        guard let current = rows[type] else { return nil }
        var updated = change.applied(to: current)
        updated.updatedAt = Date()
        rows[type] = updated
        eventTypeTable = rows
        return updated
    }
}

/// `EventTypeRepository` over an `InMemoryDatabase`, seeded with the documented types.
public struct InMemoryEventTypeRepository: EventTypeRepository {
    let database: InMemoryDatabase

    public func list(includeDeprecated: Bool) async throws(StorageError) -> [EventTypeRecord] {
        try await database.listEventTypes(includeDeprecated: includeDeprecated)
    }
    public func find(type: String) async throws(StorageError) -> EventTypeRecord? { try await database.findEventType(type) }
    public func create(_ record: EventTypeRecord) async throws(StorageError) -> EventTypeRecord { try await database.createEventType(record) }
    public func update(type: String, _ change: EventTypeChange) async throws(StorageError) -> EventTypeRecord? {
        try await database.updateEventType(type, change)
    }
}
