import WebhookCore

/// Checks values against compiled `SchemaNode`s. The path of a failure is collected while the
/// recursion unwinds, so a value that conforms costs no path building at all.
enum SchemaValidator {
    enum Step {
        case member(String)
        case element(Int)
    }

    /// What is wrong and where, the steps innermost first.
    struct Failure {
        var steps: [Step] = []
        var message: String
    }

    static func check(_ value: JSONValue, _ node: SchemaNode) -> Failure? {
        if let types = node.types, !accepts(types, value) {
            let names = types.names
            let expected = names.count == 1 ? names[0] : "one of " + names.joined(separator: ", ")
            return Failure(message: "must be \(expected), not \(value.kindName)")
        }
        if let values = node.enumValues, !values.contains(where: { equal($0, value) }) {
            let listed = CanonicalJSON.string(.array(values))
            return Failure(message: listed.count <= 200 ? "must be one of \(listed)" : "must be one of the values 'enum' lists")
        }
        if let constant = node.constValue, !equal(constant, value) {
            let text = CanonicalJSON.string(constant)
            return Failure(message: text.count <= 200 ? "must be \(text)" : "must be the value 'const' names")
        }
        switch value {
        case .integer, .double:
            return checkNumber(value, node)
        case .string(let text):
            return checkString(text, node)
        case .array(let elements):
            if let minimum = node.minItems, elements.count < minimum {
                return Failure(message: "must hold at least \(minimum) item\(minimum == 1 ? "" : "s")")
            }
            if let maximum = node.maxItems, elements.count > maximum {
                return Failure(message: "must hold at most \(maximum) item\(maximum == 1 ? "" : "s")")
            }
            if let items = node.items {
                for (index, element) in elements.enumerated() {
                    if var failure = check(element, items) {
                        failure.steps.append(.element(index))
                        return failure
                    }
                }
            }
            return nil
        case .object(let members):
            return checkObject(members, node)
        case .null, .bool:
            return nil
        }
    }

    private static func checkObject(_ members: [(key: String, value: JSONValue)], _ node: SchemaNode) -> Failure? {
        if node.required.isEmpty && node.properties.isEmpty, case .any = node.additional { return nil }
        var values: [String: JSONValue] = [:]
        values.reserveCapacity(members.count)
        for (key, value) in members { values[key] = value }
        for name in node.required where values[name] == nil {
            return Failure(steps: [.member(name)], message: "is required")
        }
        for (name, property) in node.properties {
            guard let value = values[name] else { continue }
            if var failure = check(value, property) {
                failure.steps.append(.member(name))
                return failure
            }
        }
        switch node.additional {
        case .any:
            return nil
        case .forbidden:
            for (key, _) in members where !node.propertyNames.contains(key) {
                return Failure(steps: [.member(key)], message: "is not allowed (additionalProperties is false)")
            }
        case .schema(let schema):
            for (key, value) in members where !node.propertyNames.contains(key) {
                if var failure = check(value, schema) {
                    failure.steps.append(.member(key))
                    return failure
                }
            }
        }
        return nil
    }

    private static func checkNumber(_ value: JSONValue, _ node: SchemaNode) -> Failure? {
        if let bound = node.minimum, let order = order(value, bound), order == .less {
            return Failure(message: "must be ≥ \(text(bound))")
        }
        if let bound = node.maximum, let order = order(value, bound), order == .greater {
            return Failure(message: "must be ≤ \(text(bound))")
        }
        if let bound = node.exclusiveMinimum, let order = order(value, bound), order != .greater {
            return Failure(message: "must be > \(text(bound))")
        }
        if let bound = node.exclusiveMaximum, let order = order(value, bound), order != .less {
            return Failure(message: "must be < \(text(bound))")
        }
        return nil
    }

    private static func checkString(_ text: String, _ node: SchemaNode) -> Failure? {
        if node.minLength != nil || node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum {
                return Failure(message: "must be at least \(minimum) character\(minimum == 1 ? "" : "s") long")
            }
            if let maximum = node.maxLength, length > maximum {
                return Failure(message: "must be at most \(maximum) character\(maximum == 1 ? "" : "s") long")
            }
        }
        if let pattern = node.pattern, !pattern.regex.partialMatch(text) {
            return Failure(message: "must match the pattern \(CanonicalJSON.string(.string(pattern.source)))")
        }
        return nil
    }

    /// Whether `value` is of one of `types` (`integer`: a number without fraction).
    static func accepts(_ types: SchemaTypes, _ value: JSONValue) -> Bool {
        switch value {
        case .null: return types.contains(.null)
        case .bool: return types.contains(.boolean)
        case .string: return types.contains(.string)
        case .array: return types.contains(.array)
        case .object: return types.contains(.object)
        case .integer: return types.contains(.number) || types.contains(.integer)
        case .double(let d): return types.contains(.number) || (types.contains(.integer) && d.isFinite && d.rounded() == d)
        }
    }

    /// How number `value` compares with number `bound`; `nil` for NaN.
    static func order(_ value: JSONValue, _ bound: JSONValue) -> FilterOrder? {
        switch (value, bound) {
        case (.integer(let a), .integer(let b)): return FilterNumber.compare(integer: a, integer: b)
        case (.integer(let a), .double(let d)): return FilterNumber.compare(integer: a, double: d)
        case (.double(let d), .integer(let b)): return FilterNumber.compare(integer: b, double: d)?.reversed
        case (.double(let x), .double(let y)): return FilterNumber.compare(double: x, double: y)
        default: return nil
        }
    }

    /// JSON equality: numbers by value (`1` equals `1.0`), objects whatever their member order.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.integer, .integer), (.integer, .double), (.double, .integer), (.double, .double):
            return order(a, b) == .equal
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            var left: [String: JSONValue] = [:]
            for (key, value) in x { left[key] = value }
            var right: [String: JSONValue] = [:]
            for (key, value) in y { right[key] = value }
            guard left.count == right.count else { return false }
            for (key, value) in left {
                guard let other = right[key], equal(value, other) else { return false }
            }
            return true
        default:
            return a == b
        }
    }

    private static func text(_ number: JSONValue) -> String {
        switch number {
        case .integer(let s): s
        case .double(let d): d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        default: CanonicalJSON.string(number)
        }
    }
}
