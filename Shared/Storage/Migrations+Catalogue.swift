import WebhookCore

/// Migrations of the event-type catalogue (versions from 28 up).
extension Migrations {
    static let catalogue: [Migration] = [
        Migration(
            version: 28, name: "event-type catalogue: a stored, editable resource",
            sql: [
                // One row per documented event type (`EventTypeStore`); `schema` is the JSON Schema
                // document `data` must conform to under INGEST_CATALOGUE=strict (NULL: any data).
                """
                CREATE TABLE IF NOT EXISTS event_types (
                    type        TEXT PRIMARY KEY,
                    description TEXT NOT NULL DEFAULT '',
                    category    TEXT NOT NULL DEFAULT '',
                    schema      JSONB,
                    deprecated  BOOLEAN NOT NULL DEFAULT FALSE,
                    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                // The types the platform documented before the catalogue was stored.
                seedStatement(EventCatalogue.all),
            ])
    ]

    /// `INSERT ... ON CONFLICT DO NOTHING` of `entries` (literals quoted for SQL).
    static func seedStatement(_ entries: [EventTypeInfo]) -> String {
        func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        let rows = entries.map { "(\(literal($0.type)), \(literal($0.description)), \(literal($0.category)))" }
        return "INSERT INTO event_types (type, description, category) VALUES " + rows.joined(separator: ", ")
            + " ON CONFLICT (type) DO NOTHING"
    }
}
