import Patterns
import WebhookCore

/// An immutable in-memory index of active webhooks for matching events without a database round trip.
///
/// Webhooks without a `resource_key_pattern` are listed by tenant and event-type filter (exact name,
/// each `prefix.*` of the type, `*`), so an event only visits its own tenant's lists. Webhooks with a
/// pattern are found the other way round: all patterns are compiled into one RE2 set, one pass over
/// the event's resource key names the patterns that match, and only their webhooks are checked. The
/// cost of matching therefore follows the number of webhooks that match, not the number indexed.
/// Each tenant's patterns form a set of their own (`TenantPatterns`), with a memory budget of their
/// own: one tenant's patterns can never stop another's from matching.
///
/// A webhook's payload `filter` is compiled once, when the index is built (or taken from the
/// previous index when the document did not change), and evaluated only for the webhooks listed
/// under the event's tenant and type whose pattern (if any) matched. A filter with a key (a string
/// equality or `$in` among its top-level conditions, `PayloadFilter.key`) is listed under its
/// values: an event visits only the filters whose key value it has, so many such filters on one
/// type cost what the matching ones do. Filters are tested before their remaining checks
/// (status, association scope), which need the webhook read from the index; webhooks without a
/// filter cost one dictionary look-up more. A stored
/// filter that does not compile (the registry refuses those, so only a row written another way)
/// makes its webhook match no event: see `invalidFilters`.
public struct SubscriptionIndex: Sendable {
    public let webhooks: [Int64: Webhook]
    /// Compiled filters of the webhooks that have one.
    private let filters: [Int64: PayloadFilter]
    /// Webhooks whose stored filter does not compile, with why: they match no event.
    public let invalidFilters: [Int64: PayloadFilterError]
    /// Webhooks without a pattern, by tenant.
    private let plain: [Int64: FilterLists]
    /// Webhooks with a pattern, by tenant.
    private let patterns: [Int64: TenantPatterns]
    /// Tenants whose changed patterns are not compiled yet (see `deferCompiling`).
    public let pendingTenants: Set<Int64>

    /// One tenant's webhooks by event-type filter.
    private struct FilterLists: Sendable {
        var exact: [String: Bucket] = [:]
        var prefixes: [String: Bucket] = [:]  // "job." for "job.*"
        var wildcard = Bucket()
    }

    /// The webhooks under one event-type filter: those tested for every event, and those whose
    /// payload filter has a key (`PayloadFilter.key`), listed by the key's path and values, so an
    /// event is tested only against the filters whose key value it has.
    private struct Bucket: Sendable {
        var all: [Int64] = []
        var keyed: [PayloadFilterKeyPath: [String: [Int64]]] = [:]

        mutating func add(_ id: Int64, key: PayloadFilterKey?) {
            guard let key else { return all.append(id) }
            for value in Set(key.values) { keyed[key.path, default: [:]][value, default: []].append(id) }
        }

        /// The candidates for `event`, each once per key value it has.
        func visit(_ event: Event, _ body: (Int64) -> Void) {
            for id in all { body(id) }
            for (path, byValue) in keyed {
                for value in path.strings(in: event) {
                    for id in byValue[value] ?? [] { body(id) }
                }
            }
        }
    }

    /// An index with no webhooks.
    public static let empty = SubscriptionIndex(webhooks: [])

    /// Builds the index of `webhooks` (only active ones are kept); each tenant's pattern set gets at
    /// most `patternSetMemory` bytes. A tenant whose patterns and their webhooks are the same as in
    /// `previous` keeps its compiled set (compiling a large set takes a while, and the index is
    /// rebuilt whenever any webhook changes). With `deferCompiling`, a tenant whose patterns changed
    /// keeps its previous set (or none, if it had none) and is listed in `pendingTenants`: such an
    /// index costs no compiling, so other changes take effect at once while the changed sets are
    /// compiled for the next one.
    public init(
        webhooks: [Webhook], patternSetMemory: Int64 = PatternBudget.setMemory, reusing previous: SubscriptionIndex? = nil,
        deferCompiling: Bool = false
    ) {
        var byID: [Int64: Webhook] = [:]
        var filters: [Int64: PayloadFilter] = [:]
        var invalidFilters: [Int64: PayloadFilterError] = [:]
        var plain: [Int64: FilterLists] = [:]
        struct Collected {
            var patterns: [String] = [], position: [String: Int] = [:], webhooks: [[Int64]] = []
        }
        var collected: [Int64: Collected] = [:]
        for webhook in webhooks.sorted(by: { $0.id < $1.id }) where webhook.status == .active {
            byID[webhook.id] = webhook
            if let document = webhook.filter {
                if let kept = previous?.filters[webhook.id], kept.document == document {
                    filters[webhook.id] = kept
                } else {
                    do throws(PayloadFilterError) {
                        filters[webhook.id] = try PayloadFilter.compile(document)
                    } catch {
                        invalidFilters[webhook.id] = error
                    }
                }
            }
            if let pattern = webhook.resourceKeyPattern, !pattern.isEmpty {
                var c = collected[webhook.tenantId] ?? Collected()
                if let position = c.position[pattern] {
                    c.webhooks[position].append(webhook.id)
                } else {
                    c.position[pattern] = c.patterns.count
                    c.patterns.append(pattern)
                    c.webhooks.append([webhook.id])
                }
                collected[webhook.tenantId] = c
                continue
            }
            var lists = plain[webhook.tenantId] ?? FilterLists()
            let key = filters[webhook.id]?.key
            for filter in Set(webhook.events) {
                if filter == "*" {
                    lists.wildcard.add(webhook.id, key: key)
                } else if filter.hasSuffix(".*") {
                    lists.prefixes[String(filter.dropLast(1)), default: Bucket()].add(webhook.id, key: key)
                } else {
                    lists.exact[filter, default: Bucket()].add(webhook.id, key: key)
                }
            }
            plain[webhook.tenantId] = lists
        }
        self.webhooks = byID
        self.filters = filters
        self.invalidFilters = invalidFilters
        self.plain = plain
        var pending = Set<Int64>()
        self.patterns = collected.reduce(into: [:]) { out, entry in
            let kept = previous?.patterns[entry.key]
            if let kept, kept.patterns == entry.value.patterns, kept.webhooksByPattern == entry.value.webhooks,
                kept.setMemory == patternSetMemory
            {
                out[entry.key] = kept
                return
            }
            if deferCompiling {
                // Until compiled: the previous patterns (a webhook removed since is skipped, as it is
                // no longer in `webhooks`), or none for a tenant that had none.
                pending.insert(entry.key)
                out[entry.key] = kept
                return
            }
            out[entry.key] = TenantPatterns(
                tenantId: entry.key, patterns: entry.value.patterns, webhooksByPattern: entry.value.webhooks,
                setMemory: patternSetMemory)
        }
        pendingTenants = pending
    }

    /// Number of webhooks indexed.
    public var count: Int { webhooks.count }

    /// Tenants whose pattern set could not be built within its memory budget: their patterns are
    /// matched one by one.
    public var fallbackTenants: [Int64] { patterns.values.filter(\.isFallback).map(\.tenantId).sorted() }

    /// Tenants with stored patterns that do not compile, and how many (their webhooks never match).
    public var invalidPatterns: [Int64: Int] {
        patterns.values.reduce(into: [:]) { out, group in if group.invalidCount > 0 { out[group.tenantId] = group.invalidCount } }
    }

    /// Webhooks with a pattern, in all tenants.
    public var patternWebhookCount: Int { patterns.values.reduce(0) { $0 + $1.webhooksByPattern.reduce(0) { $0 + $1.count } } }

    /// Webhooks with a payload filter, in all tenants.
    public var filterWebhookCount: Int { filters.count + invalidFilters.count }

    /// The webhooks `event` must be delivered to, by ascending id. `onPatternFallback` is called
    /// with a tenant whose patterns were matched one by one for this event (its set could not be
    /// built, or ran out of memory for this key).
    public func match(_ event: Event, onPatternFallback: (Int64) -> Void = { _ in }) -> [Webhook] {
        var found = Set<Int64>()
        var result: [Webhook] = []
        func consider(_ id: Int64, patternMatched: Bool) {
            guard !found.contains(id) else { return }
            // A candidate is of the event's tenant and type (and pattern) already. Its filter is
            // tested before the webhook is read: with thousands of filtered webhooks on one type,
            // copying each one out of the index cost more than the filters. One whose filter did
            // not compile matches nothing.
            if let filter = filters[id] {
                guard filter.matches(event) else { return }
            } else if invalidFilters[id] != nil {
                return
            }
            guard let webhook = webhooks[id], SubscriptionMatcher.matches(webhook, event, patternMatches: { _, _ in patternMatched }) else { return }
            found.insert(id)
            result.append(webhook)
        }

        // Webhooks without a pattern: the event's tenant (every tenant for a platform-wide event).
        let tenants: [FilterLists] = event.tenantId.map { plain[$0].map { [$0] } ?? [] } ?? Array(plain.values)
        for lists in tenants {
            lists.wildcard.visit(event) { consider($0, patternMatched: false) }
            lists.exact[event.type]?.visit(event) { consider($0, patternMatched: false) }
            var end = event.type.startIndex
            while let dot = event.type[end...].firstIndex(of: ".") {
                lists.prefixes[String(event.type[...dot])]?.visit(event) { consider($0, patternMatched: false) }
                end = event.type.index(after: dot)
            }
        }

        // Webhooks with a pattern: one pass of the tenant's set over the resource key (every
        // tenant's for a platform-wide event).
        if let key = event.resourceKey, !patterns.isEmpty {
            let groups: [TenantPatterns] = event.tenantId.map { patterns[$0].map { [$0] } ?? [] } ?? Array(patterns.values)
            for group in groups {
                let (positions, fellBack) = group.matches(key)
                if fellBack { onPatternFallback(group.tenantId) }
                for position in positions {
                    for id in group.webhooksByPattern[position] { consider(id, patternMatched: true) }
                }
            }
        }
        return result.sorted { $0.id < $1.id }
    }
}
