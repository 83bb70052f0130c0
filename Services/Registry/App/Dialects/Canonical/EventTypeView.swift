import Storage
import WebhookCore

/// A catalogue entry as the canonical API shows it: `type`, `description`, `category`, `schema`
/// (the document as stored, or `null`), `deprecated`, `created_at`, `updated_at`.
enum EventTypeView {
    static func json(_ r: EventTypeRecord) -> JSONValue {
        .object([
            ("type", .string(r.type)), ("description", .string(r.description)), ("category", .string(r.category)),
            ("schema", r.schema ?? .null), ("deprecated", .bool(r.deprecated)),
            ("created_at", .string(Timestamp.format(r.createdAt))), ("updated_at", .string(Timestamp.format(r.updatedAt))),
        ])
    }

    /// The canonical envelope around `data`.
    static func envelope(_ data: JSONValue, message: String = "success") -> JSONValue {
        .object([("code", .int(0)), ("message", .string(message)), ("data", data)])
    }
}
