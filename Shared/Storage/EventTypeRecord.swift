import Foundation
import WebhookCore

/// An entry of the event-type catalogue (`event_types`).
public struct EventTypeRecord: Sendable, Equatable {
    /// The type as events carry it, e.g. `job.failed`.
    public var type: String
    public var description: String
    public var category: String
    /// The JSON Schema document an event's `data` must conform to (`nil`: any data).
    public var schema: JSONValue?
    /// Hidden from the listing by default; events of the type are still accepted.
    public var deprecated: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        type: String, description: String, category: String, schema: JSONValue?, deprecated: Bool, createdAt: Date = Date(),
        updatedAt: Date = Date()
    ) {
        self.type = type
        self.description = description
        self.category = category
        self.schema = schema
        self.deprecated = deprecated
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A partial update of a catalogue entry: `nil` keeps a field; `schema` `.some(nil)` clears it.
public struct EventTypeChange: Sendable, Equatable {
    public var description: String?
    public var category: String?
    public var schema: JSONValue??
    public var deprecated: Bool?

    public init(description: String? = nil, category: String? = nil, schema: JSONValue?? = nil, deprecated: Bool? = nil) {
        self.description = description
        self.category = category
        self.schema = schema
        self.deprecated = deprecated
    }

    /// `record` with the change applied (its `updatedAt` unchanged).
    public func applied(to record: EventTypeRecord) -> EventTypeRecord {
        var r = record
        if let description { r.description = description }
        if let category { r.category = category }
        if let schema { r.schema = schema }
        if let deprecated { r.deprecated = deprecated }
        return r
    }
}

/// The event-type catalogue. `EventTypeStore` is the PostgreSQL implementation; tests use an
/// in-memory one.
public protocol EventTypeRepository: Sendable {
    /// Every entry (deprecated ones too only when `includeDeprecated`), by type.
    func list(includeDeprecated: Bool) async throws(StorageError) -> [EventTypeRecord]

    /// The entry of `type`, if any.
    func find(type: String) async throws(StorageError) -> EventTypeRecord?

    /// Stores a new entry and returns it as stored.
    /// - Throws: `StorageError.conflict(constraint: StorageConstraint.eventType)` when the type exists.
    func create(_ record: EventTypeRecord) async throws(StorageError) -> EventTypeRecord

    /// Applies `change` to the entry of `type` (bumping `updated_at`); returns it, or `nil` when
    /// there is none.
    func update(type: String, _ change: EventTypeChange) async throws(StorageError) -> EventTypeRecord?
}
