import Patterns
import WebhookCore

/// An immutable in-memory index of active webhooks for matching events without a database round trip.
///
/// Webhooks without a `resource_key_pattern` are listed by tenant and event-type filter (exact name,
/// each `prefix.*` of the type, `*`), so an event only visits its own tenant's lists. Webhooks with a
/// pattern are found the other way round: all patterns are compiled into one RE2 set, one pass over
/// the event's resource key names the patterns that match, and only their webhooks are checked. The
/// cost of matching therefore follows the number of webhooks that match, not the number indexed.
public struct SubscriptionIndex: Sendable {
    public let webhooks: [Int64: Webhook]
    /// Webhooks without a pattern, by tenant.
    private let plain: [Int64: FilterLists]
    /// Webhooks with a pattern: the set, and the webhooks of each of its patterns.
    private let patterns: PatternSet
    private let webhooksByPattern: [[Int64]]

    /// One tenant's webhooks by event-type filter.
    private struct FilterLists: Sendable {
        var exact: [String: [Int64]] = [:]
        var prefixes: [String: [Int64]] = [:]  // "job." for "job.*"
        var wildcard: [Int64] = []
    }

    /// An index with no webhooks.
    public static let empty = SubscriptionIndex(webhooks: [])

    /// Builds the index of `webhooks` (only active ones are kept).
    public init(webhooks: [Webhook]) {
        var byID: [Int64: Webhook] = [:]
        var plain: [Int64: FilterLists] = [:]
        var patternStrings: [String] = [], patternPosition: [String: Int] = [:], webhooksByPattern: [[Int64]] = []
        for webhook in webhooks where webhook.status == .active {
            byID[webhook.id] = webhook
            if let pattern = webhook.resourceKeyPattern, !pattern.isEmpty {
                if let position = patternPosition[pattern] {
                    webhooksByPattern[position].append(webhook.id)
                } else {
                    patternPosition[pattern] = patternStrings.count
                    patternStrings.append(pattern)
                    webhooksByPattern.append([webhook.id])
                }
                continue
            }
            var lists = plain[webhook.tenantId] ?? FilterLists()
            for filter in Set(webhook.events) {
                if filter == "*" {
                    lists.wildcard.append(webhook.id)
                } else if filter.hasSuffix(".*") {
                    lists.prefixes[String(filter.dropLast(1)), default: []].append(webhook.id)
                } else {
                    lists.exact[filter, default: []].append(webhook.id)
                }
            }
            plain[webhook.tenantId] = lists
        }
        self.webhooks = byID
        self.plain = plain
        self.patterns = PatternSet(patternStrings)
        self.webhooksByPattern = webhooksByPattern
    }

    /// Number of webhooks indexed.
    public var count: Int { webhooks.count }

    /// The webhooks `event` must be delivered to, by ascending id.
    public func match(_ event: Event) -> [Webhook] {
        var found = Set<Int64>()
        var result: [Webhook] = []
        func consider(_ id: Int64, patternMatched: Bool) {
            guard let webhook = webhooks[id], !found.contains(id),
                  SubscriptionMatcher.matches(webhook, event, patternMatches: { _, _ in patternMatched }) else { return }
            found.insert(id)
            result.append(webhook)
        }

        // Webhooks without a pattern: the event's tenant (every tenant for a platform-wide event).
        let tenants: [FilterLists] = event.tenantId.map { plain[$0].map { [$0] } ?? [] } ?? Array(plain.values)
        for lists in tenants {
            for id in lists.wildcard { consider(id, patternMatched: false) }
            for id in lists.exact[event.type] ?? [] { consider(id, patternMatched: false) }
            var end = event.type.startIndex
            while let dot = event.type[end...].firstIndex(of: ".") {
                for id in lists.prefixes[String(event.type[...dot])] ?? [] { consider(id, patternMatched: false) }
                end = event.type.index(after: dot)
            }
        }

        // Webhooks with a pattern: one pass of the set over the resource key.
        if let key = event.resourceKey, !webhooksByPattern.isEmpty {
            if let positions = patterns.matches(key) {
                for position in positions {
                    for id in webhooksByPattern[position] { consider(id, patternMatched: true) }
                }
            } else {
                // The set's automaton ran out of memory for this key: test the patterns one by one.
                for (position, ids) in webhooksByPattern.enumerated() {
                    let matched = (try? ResourcePattern(patterns.patterns[position]))?.fullMatch(key) ?? false
                    if matched { for id in ids { consider(id, patternMatched: true) } }
                }
            }
        }
        return result.sorted { $0.id < $1.id }
    }
}
