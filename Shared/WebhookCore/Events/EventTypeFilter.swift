/// Event-type subscriptions: an exact name (`job.failed`), a prefix wildcard (`job.*`), or `*`.
public enum EventTypeFilter {
    /// Whether a subscription `filter` selects events of `type`.
    public static func matches(_ filter: String, type: String) -> Bool {
        if filter == "*" { return true }
        if filter.hasSuffix(".*") {
            let prefix = filter.dropLast(1)  // keep the dot: "job." matches "job.failed", not "jobs.x"
            return type.hasPrefix(prefix)
        }
        return filter == type
    }

    /// Whether any of `filters` selects `type`.
    public static func matchesAny(_ filters: [String], type: String) -> Bool {
        filters.contains { matches($0, type: type) }
    }

    /// Whether `filter` is well formed: `*`, a valid event type, or a valid type followed by `.*`.
    public static func isValid(_ filter: String) -> Bool {
        if filter == "*" { return true }
        if filter.hasSuffix(".*") { return EventValidation.isValidType(String(filter.dropLast(2))) }
        return EventValidation.isValidType(filter)
    }
}
