import WebhookCore

/// The nesting and number limits a filter and a schema document share: how deep arrays and objects
/// may nest, and that every number is finite. Each document kind words its own error.
enum DocumentLimits {
    /// What breaks the limits.
    enum Problem {
        /// A number too large to be finite (`1e400`).
        case notFinite
        /// Arrays and objects nested deeper than allowed.
        case tooDeep
    }

    /// The first place, depth first, where `value` (at nesting `level`, the document itself being
    /// level 1) breaks the limits, or `nil`.
    static func firstProblem(_ value: JSONValue, maximumDepth: Int, level: Int = 1, at location: FilterLocation) -> (
        Problem, FilterLocation
    )? {
        switch value {
        case .double(let number) where !number.isFinite:
            return (.notFinite, location)
        case .array(let elements):
            guard level <= maximumDepth else { return (.tooDeep, location) }
            for (index, element) in elements.enumerated() {
                if let found = firstProblem(element, maximumDepth: maximumDepth, level: level + 1, at: location.element(index)) { return found }
            }
            return nil
        case .object(let members):
            guard level <= maximumDepth else { return (.tooDeep, location) }
            for member in members {
                if let found = firstProblem(member.value, maximumDepth: maximumDepth, level: level + 1, at: location.member(member.key)) {
                    return found
                }
            }
            return nil
        default:
            return nil
        }
    }
}
