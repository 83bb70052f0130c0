import WebhookCore

extension PayloadFilter {
    /// Checks and compiles a filter document.
    ///
    /// The language (MongoDB-like):
    /// - A filter document is an object; all its members must hold (an empty document matches
    ///   every event). A member is `path: condition`, or one of `$and`, `$or` (non-empty arrays of
    ///   filter documents) and `$not` (a filter document).
    /// - A path is dotted, starting with an event field (`type`, `tenant_id`, `data.job.status`).
    ///   A segment that is a non-negative number without leading zeros (`data.items.0`) indexes an
    ///   array; any other segment meeting an array is applied to each object element, and the
    ///   condition holds when it holds for one of them. Names containing dots cannot be addressed.
    /// - A condition is a literal (equality; when the value is an array, the condition also holds
    ///   when one element equals the literal) or an object of operators, all of which must hold:
    ///   `$eq`, `$neq`, `$gt`, `$gte`, `$lt`, `$lte` (number or string operand), `$in`, `$nin`
    ///   (array operand), `$exists` (boolean), `$regex` (string, RE2 syntax, matching anywhere in
    ///   the string unless anchored with `^` or `$`), `$not` (an operator object).
    /// - Numbers compare by value, exactly (`5` equals `5.0`; integers of any size). Strings
    ///   compare by Unicode scalars, without normalisation. Values of different types never
    ///   compare equal or ordered: `"5"` does not equal `5`.
    /// - A path that reaches no value fails every condition except `$exists: false`, `$neq` and
    ///   `$nin`, which hold (they are the negations of `$exists: true`, `$eq` and `$in`).
    ///   `null` only equals a present `null`.
    ///
    /// - Parameter document: the filter, as parsed JSON.
    /// - Returns: the compiled filter, keeping `document`.
    /// - Throws: `PayloadFilterError` with a stable code and the path of the offending part.
    public static func compile(_ document: JSONValue) throws(PayloadFilterError) -> PayloadFilter {
        try checkSize(byteCount: CanonicalJSON.encode(document).count)
        try FilterCompiler.checkDepth(document, at: FilterLocation())
        var compiler = FilterCompiler()
        let root = try compiler.document(document, at: FilterLocation())
        return PayloadFilter(document: document, root: root)
    }
}

/// Turns a filter document into `FilterNode`s, refusing what the language does not allow.
struct FilterCompiler {
    /// Conditions counted so far, against `PayloadFilter.maximumConditions`.
    private var conditions = 0

    private static let pathOperators: Set<String> = [
        "$eq", "$neq", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists", "$regex", "$not",
    ]

    /// Refuses arrays and objects nested deeper than `PayloadFilter.maximumDepth`, and numbers too large
    /// to be finite (`DocumentLimits`).
    static func checkDepth(_ value: JSONValue, at location: FilterLocation) throws(PayloadFilterError) {
        guard let (problem, place) = DocumentLimits.firstProblem(value, maximumDepth: PayloadFilter.maximumDepth, at: location) else { return }
        switch problem {
        case .notFinite:
            throw PayloadFilterError(kind: .invalidOperand, message: "a number in the filter is too large to be finite", path: place.rendered)
        case .tooDeep:
            throw PayloadFilterError(
                kind: .tooDeep, message: "the filter nests arrays and objects deeper than \(PayloadFilter.maximumDepth) levels", path: place.rendered)
        }
    }

    /// Compiles a filter document (the top level, or a member of `$and`, `$or`, `$not`).
    mutating func document(_ value: JSONValue, at location: FilterLocation) throws(PayloadFilterError) -> FilterNode {
        guard case .object(let members) = value else {
            throw PayloadFilterError(
                kind: .notAnObject, message: "a filter document must be a JSON object, not \(article(value))", path: location.rendered)
        }
        var nodes: [FilterNode] = []
        nodes.reserveCapacity(members.count)
        for (key, operand) in members {
            let here = location.member(key)
            if key.hasPrefix("$") {
                nodes.append(try logical(key, operand, at: here))
            } else {
                let path = try FilterPath.parse(key, at: here)
                nodes.append(try condition(operand, on: path, at: here))
            }
        }
        return nodes.count == 1 ? nodes[0] : .all(nodes)
    }

    /// Compiles `$and`, `$or` or `$not` at document level.
    private mutating func logical(_ name: String, _ operand: JSONValue, at location: FilterLocation) throws(PayloadFilterError) -> FilterNode {
        switch name {
        case "$and", "$or":
            try count(at: location)
            guard case .array(let elements) = operand, !elements.isEmpty else {
                throw PayloadFilterError(
                    kind: .invalidOperand, message: "'\(name)' takes a non-empty array of filter documents, not \(article(operand))",
                    path: location.rendered)
            }
            var nodes: [FilterNode] = []
            nodes.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                nodes.append(try document(element, at: location.element(index)))
            }
            return name == "$and" ? .all(nodes) : .any(nodes)
        case "$not":
            try count(at: location)
            return .not(try document(operand, at: location))
        default:
            let hint =
                Self.pathOperators.contains(name)
                ? "'\(name)' applies to a path, e.g. {\"data.count\": {\"\(name)\": ...}}"
                : "'\(name)' is not an operator; a filter document takes paths and $and, $or, $not"
            throw PayloadFilterError(kind: .unknownOperator, message: hint, path: location.rendered)
        }
    }

    /// Compiles the condition of a `path: condition` member.
    private mutating func condition(_ operand: JSONValue, on path: FilterPath, at location: FilterLocation) throws(PayloadFilterError)
        -> FilterNode
    {
        guard case .object(let members) = operand, members.contains(where: { $0.key.hasPrefix("$") }) else {
            try count(at: location)
            return .test(path, .equals(FilterLiteral(operand)))
        }
        return try operators(members, on: path, at: location)
    }

    /// Compiles an operator object; all its operators must hold.
    private mutating func operators(_ members: [(key: String, value: JSONValue)], on path: FilterPath, at location: FilterLocation)
        throws(PayloadFilterError) -> FilterNode
    {
        if let field = members.first(where: { !$0.key.hasPrefix("$") }) {
            throw PayloadFilterError(
                kind: .invalidOperand,
                message: "an operator object cannot also hold the field '\(field.key)'; to match an object with '$' names use $eq",
                path: location.member(field.key).rendered)
        }
        var nodes: [FilterNode] = []
        nodes.reserveCapacity(members.count)
        for (name, operand) in members {
            nodes.append(try pathOperator(name, operand, on: path, at: location.member(name)))
        }
        return nodes.count == 1 ? nodes[0] : .all(nodes)
    }

    /// Compiles one operator applied to a path.
    private mutating func pathOperator(_ name: String, _ operand: JSONValue, on path: FilterPath, at location: FilterLocation)
        throws(PayloadFilterError) -> FilterNode
    {
        switch name {
        case "$eq", "$neq":
            try count(at: location)
            let test = FilterNode.test(path, .equals(FilterLiteral(operand)))
            return name == "$eq" ? test : .not(test)
        case "$gt", "$gte", "$lt", "$lte":
            try count(at: location)
            switch operand {
            case .integer, .double, .string:
                // The case names are the operator names, so this always succeeds.
                let comparison = FilterComparison(rawValue: name) ?? .greater
                return .test(path, .compare(comparison, FilterLiteral(operand)))
            default:
                throw invalidOperand(name, "a number or a string", operand, at: location)
            }
        case "$in", "$nin":
            guard case .array(let elements) = operand else { throw invalidOperand(name, "an array", operand, at: location) }
            try count(at: location, max(1, elements.count))
            let test = FilterNode.test(path, .oneOf(elements.map(FilterLiteral.init)))
            return name == "$in" ? test : .not(test)
        case "$exists":
            try count(at: location)
            guard case .bool(let exists) = operand else { throw invalidOperand(name, "a boolean", operand, at: location) }
            return exists ? .exists(path) : .not(.exists(path))
        case "$regex":
            try count(at: location)
            guard case .string(let pattern) = operand else { throw invalidOperand(name, "a string", operand, at: location) }
            return .test(path, .regex(try Self.regex(pattern, at: location)))
        case "$not":
            try count(at: location)
            guard case .object(let members) = operand, !members.isEmpty, members.allSatisfy({ $0.key.hasPrefix("$") }) else {
                throw PayloadFilterError(
                    kind: .invalidOperand, message: "'$not' under a path takes an object of operators, e.g. {\"$not\": {\"$gt\": 5}}",
                    path: location.rendered)
            }
            return .not(try operators(members, on: path, at: location))
        case "$and", "$or":
            throw PayloadFilterError(
                kind: .unknownOperator,
                message: "'\(name)' combines filter documents and cannot apply to a path; write {\"\(name)\": [{...}, {...}]} at document level",
                path: location.rendered)
        default:
            throw PayloadFilterError(
                kind: .unknownOperator,
                message: "'\(name)' is not an operator; operators are \(Self.pathOperators.sorted().joined(separator: ", "))",
                path: location.rendered)
        }
    }

    /// Compiles a `$regex` with RE2, refusing what RE2 refuses and what costs too much to run.
    private static func regex(_ pattern: String, at location: FilterLocation) throws(PayloadFilterError) -> ResourcePattern {
        guard !pattern.utf8.contains(0) else {
            throw PayloadFilterError(kind: .invalidRegex, message: "'$regex' contains a NUL character", path: location.rendered)
        }
        let compiled: ResourcePattern
        do throws(PatternError) {
            compiled = try ResourcePattern(pattern)
        } catch {
            throw PayloadFilterError(kind: .invalidRegex, message: "'$regex' is not a valid RE2 pattern: \(error.reason)", path: location.rendered)
        }
        let size = compiled.programSize
        guard size <= PatternBudget.maximumProgramSizePerPattern else {
            throw PayloadFilterError(
                kind: .invalidRegex,
                message: "'$regex' compiles to \(size) RE2 instructions; at most \(PatternBudget.maximumProgramSizePerPattern) are allowed",
                path: location.rendered)
        }
        return compiled
    }

    /// Counts `amount` conditions, refusing more than `PayloadFilter.maximumConditions`.
    private mutating func count(at location: FilterLocation, _ amount: Int = 1) throws(PayloadFilterError) {
        conditions += amount
        guard conditions <= PayloadFilter.maximumConditions else {
            throw PayloadFilterError(
                kind: .tooManyConditions, message: "the filter has more than \(PayloadFilter.maximumConditions) conditions",
                path: location.rendered)
        }
    }

    private func invalidOperand(_ name: String, _ expected: String, _ operand: JSONValue, at location: FilterLocation) -> PayloadFilterError {
        PayloadFilterError(kind: .invalidOperand, message: "'\(name)' takes \(expected), not \(article(operand))", path: location.rendered)
    }
}

/// `a string`, `an array`, ... for messages.
private func article(_ value: JSONValue) -> String {
    let kind = value.kindName
    return (kind.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + kind
}
