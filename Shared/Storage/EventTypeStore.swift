import Foundation
import Logging
import PostgresNIO
import WebhookCore

/// The event-type catalogue in `event_types`.
public struct EventTypeStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = "type, description, category, schema::text, deprecated, created_at, updated_at"
    typealias Row = (String, String, String, String?, Bool, Date, Date)

    static func record(_ r: Row) -> EventTypeRecord {
        EventTypeRecord(
            type: r.0, description: r.1, category: r.2, schema: JSONColumn.decode(schema: r.3), deprecated: r.4, createdAt: r.5, updatedAt: r.6)
    }

    public func list(includeDeprecated: Bool) async throws(StorageError) -> [EventTypeRecord] {
        try await storage {
            let rows = try await client.query(
                "SELECT \(unescaped: Self.columns) FROM event_types WHERE \(includeDeprecated) OR NOT deprecated ORDER BY type", logger: logger)
            var records: [EventTypeRecord] = []
            for try await row in rows.decode(Row.self) { records.append(Self.record(row)) }
            return records
        }
    }

    public func find(type: String) async throws(StorageError) -> EventTypeRecord? {
        try await storage {
            let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM event_types WHERE type = \(type)", logger: logger)
            for try await row in rows.decode(Row.self) { return Self.record(row) }
            return nil
        }
    }

    public func create(_ r: EventTypeRecord) async throws(StorageError) -> EventTypeRecord {
        try await storage {
            let rows = try await client.query(
                """
                INSERT INTO event_types (type, description, category, schema, deprecated)
                VALUES (\(r.type), \(r.description), \(r.category), \(JSONColumn.encode(schema: r.schema))::jsonb, \(r.deprecated))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            for try await row in rows.decode(Row.self) { return Self.record(row) }
            throw StorageError.failed("INSERT INTO event_types returned no row")
        }
    }

    public func update(type: String, _ change: EventTypeChange) async throws(StorageError) -> EventTypeRecord? {
        let setsSchema = change.schema != nil
        let schema = change.schema.flatMap { JSONColumn.encode(schema: $0) }
        return try await storage {
            let rows = try await client.query(
                """
                UPDATE event_types SET
                    description = COALESCE(\(change.description)::text, description),
                    category = COALESCE(\(change.category)::text, category),
                    schema = CASE WHEN \(setsSchema) THEN \(schema)::jsonb ELSE schema END,
                    deprecated = COALESCE(\(change.deprecated)::boolean, deprecated),
                    updated_at = clock_timestamp()
                WHERE type = \(type)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            for try await row in rows.decode(Row.self) { return Self.record(row) }
            return nil
        }
    }
}

extension EventTypeStore: EventTypeRepository {}
