/// Why a webhook's `filter` was refused: a stable code, a message for people, and where in the
/// filter document the offending part is.
public struct PayloadFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of mistakes, each with its own stable code.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The filter, or a document inside `$and`, `$or` or `$not`, is not a JSON object.
        case notAnObject
        /// A `$`-name that is not one of the language's operators, or an operator in a place it
        /// cannot be (a path operator at document level, `$and` under a path).
        case unknownOperator
        /// An operator's operand has the wrong type (`$in` without an array, `$exists` without a
        /// boolean, `$or` with an empty array, ...), an object mixes operators and fields, or a
        /// number is too large to be finite.
        case invalidOperand
        /// A path with an empty segment (`data..x`, `.x`, `x.`, ``) or whose first segment is not
        /// a field of the event.
        case invalidPath
        /// A `$regex` that RE2 refuses, or one too costly to run.
        case invalidRegex
        /// Values nested deeper than `PayloadFilter.maximumDepth`.
        case tooDeep
        /// More than `PayloadFilter.maximumConditions` conditions.
        case tooManyConditions
        /// A document of more than `PayloadFilter.maximumDocumentBytes` bytes.
        case tooLarge

        /// The stable error code of this kind.
        public var code: String {
            switch self {
            case .notAnObject: "E_FILTER_NOT_OBJECT"
            case .unknownOperator: "E_FILTER_UNKNOWN_OPERATOR"
            case .invalidOperand: "E_FILTER_INVALID_OPERAND"
            case .invalidPath: "E_FILTER_INVALID_PATH"
            case .invalidRegex: "E_FILTER_INVALID_REGEX"
            case .tooDeep: "E_FILTER_TOO_DEEP"
            case .tooManyConditions: "E_FILTER_TOO_MANY_CONDITIONS"
            case .tooLarge: "E_FILTER_TOO_LARGE"
            }
        }
    }

    /// What kind of mistake it is.
    public var kind: Kind
    /// What is wrong, for people (never contains internal details beyond RE2's reason for a regex).
    public var message: String
    /// Where the offending part is in the filter document, as a normalised JSONPath: `$` is the
    /// filter itself, `.name` a member whose name is letters, digits, `_` and `$` (not starting with
    /// a digit), `["name"]` any other member (the name as a JSON string), `[3]` an array element.
    /// For example `$["data.status"].$gt` or `$.$or[1]["data.n"]`.
    public var path: String

    /// Stable error code, e.g. `E_FILTER_UNKNOWN_OPERATOR`.
    public var code: String { kind.code }

    /// Makes an error.
    /// - Parameters:
    ///   - kind: what kind of mistake.
    ///   - message: what is wrong, for people.
    ///   - path: where, in the format described at `path`.
    public init(kind: Kind, message: String, path: String) {
        self.kind = kind
        self.message = message
        self.path = path
    }

    public var description: String { "\(code) at \(path): \(message)" }
}
