import WebhookCore

/// A literal operand of a filter, converted once when the filter is compiled.
enum FilterLiteral: Sendable {
    case null
    case bool(Bool)
    /// An integer literal (normalised decimal text, any size) and its value when it fits `Int64`.
    case integer(String, Int64?)
    case double(Double)
    case string(String)
    /// An array or an object, compared member by member.
    case compound(JSONValue)

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .integer(let text): self = .integer(text, Int64(text))
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array, .object: self = .compound(value)
        }
    }

    /// Whether `value` equals this literal: numbers by value (`5` equals `5.0`), strings by their
    /// Unicode scalars, arrays element by element in order, objects member by member in any order.
    func isEqual(to value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case (.integer, .integer), (.integer, .double), (.double, .integer), (.double, .double): order(of: value) == .equal
        case let (.string(a), .string(b)): sameText(a, b)
        case let (.compound(a), _): Self.deepEqual(value, a)
        default: false
        }
    }

    /// The order of `value` relative to this literal when both are numbers or both are strings
    /// (strings by Unicode scalar order); `nil` for any other pairing.
    func order(of value: JSONValue) -> FilterOrder? {
        switch (value, self) {
        case let (.integer(a), .integer(b, bValue)): FilterNumber.compare(integer: a, integer: b, value: bValue)
        case let (.integer(a), .double(b)): FilterNumber.compare(integer: a, double: b)
        case let (.double(a), .integer(b, _)): FilterNumber.compare(integer: b, double: a)?.reversed
        case let (.double(a), .double(b)): FilterNumber.compare(double: a, double: b)
        case let (.string(a), .string(b)):
            sameText(a, b) ? .equal : (a.utf8.lexicographicallyPrecedes(b.utf8) ? .less : .greater)
        default: nil
        }
    }

    /// Equality of two JSON values with the literal rules above, at any depth.
    static func deepEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.array(x), .array(y)):
            return x.count == y.count && zip(x, y).allSatisfy { deepEqual($0, $1) }
        case let (.object(x), .object(y)):
            guard x.count == y.count else { return false }
            return y.allSatisfy { member in
                x.last(where: { sameText($0.key, member.key) }).map { deepEqual($0.value, member.value) } ?? false
            }
        case (.array, _), (.object, _), (_, .array), (_, .object):
            return false
        default:
            return FilterLiteral(b).isEqual(to: a)
        }
    }
}
