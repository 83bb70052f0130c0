/// A JSON document held without loss: integers keep every digit, object members keep their order.
///
/// Numbers are kept apart as integers (their decimal literal, any size, as Python's `int`) and
/// floating-point values (as Python's `float`), so that re-serialising an event is byte-identical to
/// Python's `json.dumps`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// An integer literal, normalised (no leading `+`, `-0` becomes `0`), of any size.
    case integer(String)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order. Duplicate keys keep the last value, as Python's `json.loads` does.
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            // Member order does not matter, as for Python's dict.
            return a.count == b.count && zip(sortedMembers(a), sortedMembers(b)).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .integer(let s): hasher.combine(s)
        case .double(let d): hasher.combine(d)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let members):
            for (key, value) in sortedMembers(members) {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// Builds an integer value.
    public static func int<I: BinaryInteger>(_ value: I) -> JSONValue { .integer(String(value)) }

    /// The value of member `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, when this is an integer that fits `Int64`.
    public var int64Value: Int64? {
        if case .integer(let s) = self { return Int64(s) }
        return nil
    }

    /// The members, when this is an object.
    public var objectMembers: [(key: String, value: JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// A short name of the kind of value, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

private func sortedMembers(_ members: [(key: String, value: JSONValue)]) -> [(key: String, value: JSONValue)] {
    members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .integer(String(i))
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else if let o = try? container.decode([String: JSONValue].self) {
            self = .object(o.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .integer(let s):
            if let i = Int64(s) { try container.encode(i) } else { try container.encode(Double(s) ?? 0) }
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let members):
            var dict: [String: JSONValue] = [:]
            for (k, v) in members { dict[k] = v }
            try container.encode(dict)
        }
    }
}
