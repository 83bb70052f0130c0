import Patterns
import ServiceKit
import Storage
import WebhookCore

/// A create or update body of the event-type catalogue, read without loss: the `schema` document
/// keeps its numbers exactly as sent.
struct EventTypeInput: Sendable {
    var type: String?
    var description: String?
    var category: String?
    /// `nil`: not sent; `.some(nil)`: sent as `null`.
    var schema: JSONValue??
    var deprecated: Bool?

    /// Longest description and category, in characters.
    static let maximumDescriptionLength = 1000
    static let maximumCategoryLength = 64
    /// Largest body: a schema of `JSONSchema.maximumDocumentBytes` and the other fields.
    static let maximumBodyBytes = JSONSchema.maximumDocumentBytes + (16 << 10)

    static let fields: Set<String> = ["type", "description", "category", "schema", "deprecated"]

    /// Parses and checks a body (`creating`: `type` is required; otherwise it must not be sent).
    /// 400 for malformed or mistyped fields, 422 for a refused schema (its code, and its path in
    /// the message).
    init(json: JSONValue, creating: Bool) throws(APIError) {
        guard case .object(let members) = json else { throw APIError.badRequest("E_INVALID_JSON", "the request body must be a JSON object") }
        for (key, value) in members {
            guard Self.fields.contains(key) else {
                throw APIError.badRequest("E_UNKNOWN_FIELD", "field '\(key)' is not one of \(Self.fields.sorted().joined(separator: ", "))")
            }
            switch key {
            case "type":
                guard creating else { throw APIError.badRequest("E_INVALID_VALUE", "'type' names the entry in the path and cannot change") }
                type = try Self.string(key, value)
            case "description": description = try Self.string(key, value)
            case "category": category = try Self.string(key, value)
            case "deprecated":
                guard case .bool(let flag) = value else { throw Self.wrongType(key, "a boolean", value) }
                deprecated = flag
            default:
                switch value {
                case .null: schema = .some(nil)
                case .object: schema = .some(value)
                default: throw Self.wrongType(key, "a JSON Schema object or null", value)
                }
            }
        }
        if creating {
            guard let type else { throw APIError.badRequest("E_MISSING_FIELD", "field 'type' is required") }
            guard EventValidation.isValidType(type) else {
                throw APIError.badRequest(
                    "E_INVALID_EVENT_TYPE",
                    "'type' must be dot-separated words of letters, digits, '_', '-' or ':' (at most \(EventValidation.maximumTypeLength) bytes), e.g. 'job.failed'"
                )
            }
        }
        if let description, description.count > Self.maximumDescriptionLength {
            throw APIError.badRequest("E_INVALID_VALUE", "'description' must be at most \(Self.maximumDescriptionLength) characters")
        }
        if let category, category.count > Self.maximumCategoryLength {
            throw APIError.badRequest("E_INVALID_VALUE", "'category' must be at most \(Self.maximumCategoryLength) characters")
        }
        if case .some(.some(let document)) = schema { try Self.validateSchema(document) }
    }

    /// Compiles a schema document as strict ingest will: 422 with the schema error's code, and its
    /// path in the message (`'schema' at <path>: <what is wrong>`).
    static func validateSchema(_ document: JSONValue) throws(APIError) {
        do throws(JSONSchemaError) {
            _ = try JSONSchema.compile(document)
        } catch {
            throw APIError.unprocessable(error.code, "'schema' at \(error.path): \(error.message)")
        }
    }

    /// The change an update body asks for.
    var change: EventTypeChange {
        EventTypeChange(description: description, category: category, schema: schema, deprecated: deprecated)
    }

    private static func string(_ key: String, _ value: JSONValue) throws(APIError) -> String {
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        guard StorableText.isStorable(text) else {
            throw APIError.badRequest("E_INVALID_CHARACTER", "field '\(key)' must not contain the NUL character (U+0000)")
        }
        return text
    }

    private static func wrongType(_ key: String, _ expected: String, _ value: JSONValue) -> APIError {
        APIError.badRequest("E_WRONG_TYPE", "field '\(key)' must be \(expected), not \(value.kindName)")
    }
}
