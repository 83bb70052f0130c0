import Foundation
import WebhookCore

/// `[String: String]` to and from JSONB columns (written as text, cast in SQL).
enum JSONColumn {
    static func encode(_ map: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(map), as: UTF8.self)) ?? "{}"
    }

    static func decode(_ text: String?) -> [String: String] {
        guard let text, let data = text.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }

    /// A webhook's filter document as the text of a JSONB column; `nil` stays SQL NULL.
    static func encode(filter: JSONValue?) -> String? {
        filter.map(CanonicalJSON.string)
    }

    /// A filter column read back. Text that does not parse (never written by `encode(filter:)`)
    /// becomes JSON `null`, which no filter compiles from: the webhook then matches nothing rather
    /// than everything.
    static func decode(filter text: String?) -> JSONValue? {
        guard let text else { return nil }
        return (try? JSONParser.parse(text)) ?? .null
    }

    /// An event type's schema document as the text of a JSONB column; `nil` stays SQL NULL.
    static func encode(schema: JSONValue?) -> String? {
        schema.map(CanonicalJSON.string)
    }

    /// A schema column read back (`nil` for SQL NULL). Text that does not parse becomes JSON
    /// `null`, which no schema compiles from: strict ingest then refuses the type's events rather
    /// than accepting any data.
    static func decode(schema text: String?) -> JSONValue? {
        guard let text else { return nil }
        return (try? JSONParser.parse(text)) ?? .null
    }
}
