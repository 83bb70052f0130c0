import WebhookCore

/// Which ordering operator a comparison is.
enum FilterComparison: String, Sendable {
    case greater = "$gt"
    case greaterOrEqual = "$gte"
    case less = "$lt"
    case lessOrEqual = "$lte"

    /// Whether a value in `order` relative to the operand passes.
    func accepts(_ order: FilterOrder) -> Bool {
        switch self {
        case .greater: order == .greater
        case .greaterOrEqual: order != .less
        case .less: order == .less
        case .lessOrEqual: order != .greater
        }
    }
}

/// A positive test of one value a path reaches. Negations (`$neq`, `$nin`, `$not`,
/// `$exists: false`) are `FilterNode.not` around these, so they hold when no value passes.
enum FilterCondition: Sendable {
    /// A literal or `$eq`.
    case equals(FilterLiteral)
    /// `$gt`, `$gte`, `$lt`, `$lte` with a number or string operand.
    case compare(FilterComparison, FilterLiteral)
    /// `$in`.
    case oneOf([FilterLiteral])
    /// `$regex`: a partial match of a string.
    case regex(ResourcePattern)

    /// Whether `value` passes, or, when it is an array, the array itself or one of its elements does.
    @inline(__always)
    func holds(for value: JSONValue) -> Bool {
        if holdsDirectly(for: value) { return true }
        if case .array(let elements) = value {
            for element in elements where holdsDirectly(for: element) { return true }
        }
        return false
    }

    private func holdsDirectly(for value: JSONValue) -> Bool {
        switch self {
        case .equals(let literal):
            return literal.isEqual(to: value)
        case .compare(let comparison, let literal):
            guard let order = literal.order(of: value) else { return false }
            return comparison.accepts(order)
        case .oneOf(let literals):
            for literal in literals where literal.isEqual(to: value) { return true }
            return false
        case .regex(let pattern):
            guard case .string(let text) = value else { return false }
            return pattern.partialMatch(text)
        }
    }
}

/// A compiled filter: a tree of the tests above over paths of the event.
indirect enum FilterNode: Sendable {
    /// Every node holds (a document's members, `$and`, an operator object's operators).
    case all([FilterNode])
    /// Some node holds (`$or`).
    case any([FilterNode])
    /// The node does not hold.
    case not(FilterNode)
    /// Some value the path reaches passes the condition.
    case check(FilterCheck)
    /// The path reaches some value (`null` included).
    case exists(FilterPath)
}

extension FilterNode {
    /// Some value `path` reaches passes `condition`.
    static func test(_ path: FilterPath, _ condition: FilterCondition) -> FilterNode {
        .check(FilterCheck(path: path, condition: condition))
    }
}

/// A condition on the values a path reaches. A class, so that evaluating the tree reads the path
/// and the condition in place instead of copying them out of the enum's box on every call.
final class FilterCheck: Sendable {
    let path: FilterPath
    let condition: FilterCondition

    init(path: FilterPath, condition: FilterCondition) {
        self.path = path
        self.condition = condition
    }

    /// Whether some value the path reaches in `event` passes the condition.
    func matches(_ event: Event) -> Bool {
        path.anyValue(in: event) { condition.holds(for: $0) }
    }
}
