import WebhookCore

extension PayloadFilter {
    /// Whether `event` meets the filter.
    ///
    /// Walks the event's fields and its `data` directly (nothing is encoded or copied per call,
    /// except `occurred_at`, formatted only for a filter that names it).
    public func matches(_ event: Event) -> Bool {
        root.matches(event)
    }
}

extension FilterNode {
    func matches(_ event: Event) -> Bool {
        switch self {
        case .all(let nodes):
            for node in nodes where !node.matches(event) { return false }
            return true
        case .any(let nodes):
            for node in nodes where node.matches(event) { return true }
            return false
        case .not(let node):
            return !node.matches(event)
        case .check(let check):
            return check.matches(event)
        case .exists(let path):
            return path.anyValue(in: event) { _ in true }
        }
    }
}
