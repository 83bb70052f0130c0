/// Why an event type's `schema` document was refused: a stable code, a message for people, and
/// where in the schema document the offending part is.
public struct JSONSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of mistakes, each with its own stable code.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The schema, or a subschema, is not a JSON object.
        case notAnObject
        /// A keyword outside the supported subset (see `JSONSchema`).
        case unknownKeyword
        /// A keyword's value has the wrong type or is out of range (`minLength: -1`, `type: "float"`,
        /// `required` with a number, `enum` empty, ...).
        case invalidKeyword
        /// A `pattern` that RE2 refuses, or one too costly to run.
        case invalidPattern
        /// Subschemas nested deeper than `JSONSchema.maximumDepth`.
        case tooDeep
        /// A document of more than `JSONSchema.maximumDocumentBytes` bytes.
        case tooLarge

        /// The stable error code of this kind.
        public var code: String {
            switch self {
            case .notAnObject: "E_SCHEMA_NOT_OBJECT"
            case .unknownKeyword: "E_SCHEMA_UNKNOWN_KEYWORD"
            case .invalidKeyword: "E_SCHEMA_INVALID_KEYWORD"
            case .invalidPattern: "E_SCHEMA_INVALID_PATTERN"
            case .tooDeep: "E_SCHEMA_TOO_DEEP"
            case .tooLarge: "E_SCHEMA_TOO_LARGE"
            }
        }
    }

    /// What kind of mistake it is.
    public var kind: Kind
    /// What is wrong, for people.
    public var message: String
    /// Where the offending part is in the schema document, as a normalised JSONPath (`$` is the
    /// schema itself, e.g. `$.properties.amount.minimum`), in the format of `PayloadFilterError.path`.
    public var path: String

    /// Stable error code, e.g. `E_SCHEMA_UNKNOWN_KEYWORD`.
    public var code: String { kind.code }

    /// Makes an error.
    public init(kind: Kind, message: String, path: String) {
        self.kind = kind
        self.message = message
        self.path = path
    }

    public var description: String { "\(code) at \(path): \(message)" }
}
