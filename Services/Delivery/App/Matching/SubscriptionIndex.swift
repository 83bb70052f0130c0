import Patterns
import WebhookCore

/// An immutable in-memory index of active webhooks for matching events without a database round trip.
///
/// Event-type filters are looked up by exact name, by each `prefix.*` of the type and `*`; tenant and
/// scope rules come from `SubscriptionMatcher`; all `resource_key_pattern`s are compiled into one
/// RE2 set, so one pass over an event's resource key tests every candidate's pattern.
public struct SubscriptionIndex: Sendable {
    public let webhooks: [Int64: Webhook]
    private let exact: [String: [Int64]]
    private let prefixes: [String: [Int64]]
    private let wildcard: [Int64]
    private let patterns: PatternSet
    private let patternIndex: [Int64: Int]

    /// An index with no webhooks.
    public static let empty = SubscriptionIndex(webhooks: [])

    /// Builds the index of `webhooks` (only active ones are kept).
    public init(webhooks: [Webhook]) {
        var byID: [Int64: Webhook] = [:]
        var exact: [String: [Int64]] = [:], prefixes: [String: [Int64]] = [:], wildcard: [Int64] = []
        var patternStrings: [String] = [], patternPosition: [String: Int] = [:], patternIndex: [Int64: Int] = [:]
        for webhook in webhooks where webhook.status == .active {
            byID[webhook.id] = webhook
            for filter in Set(webhook.events) {
                if filter == "*" {
                    wildcard.append(webhook.id)
                } else if filter.hasSuffix(".*") {
                    prefixes[String(filter.dropLast(1)), default: []].append(webhook.id)
                } else {
                    exact[filter, default: []].append(webhook.id)
                }
            }
            if let pattern = webhook.resourceKeyPattern, !pattern.isEmpty {
                let position = patternPosition[pattern] ?? {
                    patternStrings.append(pattern)
                    patternPosition[pattern] = patternStrings.count - 1
                    return patternStrings.count - 1
                }()
                patternIndex[webhook.id] = position
            }
        }
        self.webhooks = byID
        self.exact = exact
        self.prefixes = prefixes
        self.wildcard = wildcard
        self.patterns = PatternSet(patternStrings)
        self.patternIndex = patternIndex
    }

    /// Number of webhooks indexed.
    public var count: Int { webhooks.count }

    /// The webhooks `event` must be delivered to.
    public func match(_ event: Event) -> [Webhook] {
        var candidates = Set<Int64>(wildcard)
        if let ids = exact[event.type] { candidates.formUnion(ids) }
        var end = event.type.startIndex
        while let dot = event.type[end...].firstIndex(of: ".") {
            let prefix = String(event.type[...dot])  // "job." for "job.failed"
            if let ids = prefixes[prefix] { candidates.formUnion(ids) }
            end = event.type.index(after: dot)
        }
        guard !candidates.isEmpty else { return [] }

        // Evaluate the patterns once, only if some candidate has one.
        var matchedPatterns: Set<Int>?
        var evaluated = false
        func patternMatches(_ webhook: Webhook, _ key: String) -> Bool {
            guard let position = patternIndex[webhook.id] else { return true }
            if !evaluated {
                evaluated = true
                matchedPatterns = patterns.matches(key).map(Set.init)
            }
            if let matchedPatterns { return matchedPatterns.contains(position) }
            // The set's automaton ran out of memory for this key: test the one pattern directly.
            return (try? ResourcePattern(webhook.resourceKeyPattern ?? ""))?.fullMatch(key) ?? false
        }
        return candidates.sorted().compactMap { id -> Webhook? in
            guard let webhook = webhooks[id] else { return nil }
            return SubscriptionMatcher.matches(webhook, event) { _, key in patternMatches(webhook, key) } ? webhook : nil
        }
    }
}
