import WebhookCore

/// A condition every event a filter accepts must meet, that an index can look events up by: the
/// value at `path` is one of `values` (a string `path: "text"`, `$eq`, or an `$in` of strings, among
/// the filter's top-level conditions). The subscription index lists a webhook under each value, so
/// an event is checked only against the filters whose key it has.
public struct PayloadFilterKey: Sendable {
    /// The path the condition is on.
    public let path: PayloadFilterKeyPath
    /// The strings it accepts there.
    public let values: [String]
}

/// A filter path as an index key: equal when their field and segments are the same Unicode scalars
/// (as the filter compares member names).
public struct PayloadFilterKeyPath: Hashable, Sendable {
    let path: FilterPath

    public static func == (lhs: PayloadFilterKeyPath, rhs: PayloadFilterKeyPath) -> Bool {
        lhs.path.field == rhs.path.field && lhs.path.segments.count == rhs.path.segments.count
            && zip(lhs.path.segments, rhs.path.segments).allSatisfy { sameText($0.key, $1.key) }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path.field)
        for segment in path.segments {
            for byte in segment.key.utf8 { hasher.combine(byte) }
            hasher.combine(0xFF as UInt8)
        }
    }

    /// Every string the path reaches in `event`, and the strings of the arrays it reaches (an
    /// equality holds for an array that has the literal as an element). Compared as `String`s, which
    /// equate canonically equivalent text: a superset of the filter's own scalar comparison.
    public func strings(in event: Event) -> Set<String> {
        var found = Set<String>()
        _ = path.anyValue(in: event) { value in
            switch value {
            case .string(let text): found.insert(text)
            case .array(let elements):
                for case .string(let text) in elements { found.insert(text) }
            default: break
            }
            return false  // visit every value the path reaches
        }
        return found
    }
}

extension PayloadFilter {
    /// The filter's index key, if one of its top-level conditions is a string equality or an `$in`
    /// of strings; `nil` otherwise (the filter is then tested for every event of its type).
    public var key: PayloadFilterKey? { root.requiredKey }
}

extension FilterNode {
    /// A string equality every accepted event meets: a check at this level, or in a conjunction.
    var requiredKey: PayloadFilterKey? {
        switch self {
        case .check(let check):
            switch check.condition {
            case .equals(.string(let text)):
                return PayloadFilterKey(path: PayloadFilterKeyPath(path: check.path), values: [text])
            case .oneOf(let literals):
                let texts = literals.compactMap { literal -> String? in
                    if case .string(let text) = literal { return text }
                    return nil
                }
                guard !texts.isEmpty, texts.count == literals.count else { return nil }
                return PayloadFilterKey(path: PayloadFilterKeyPath(path: check.path), values: texts)
            default:
                return nil
            }
        case .all(let nodes):
            for node in nodes {
                if let key = node.requiredKey { return key }
            }
            return nil
        case .any, .not, .exists:
            return nil
        }
    }
}
