/// The first place where a value breaks a schema: the JSONPath into the value and what is wrong
/// there, e.g. `$.data.amount: must be ≥ 0` or `$.data.user.id: is required`.
public struct JSONSchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// Where, as a normalised JSONPath from the root the caller named (`$` or `$.data`).
    public var path: String
    /// What is wrong, for people (the value itself is never quoted, only its kind).
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
