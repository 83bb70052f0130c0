import Foundation
import Logging
import Patterns
import Storage
import Synchronization
import WebhookCore

/// The current subscription index. It is rebuilt from PostgreSQL in full at start, after broker
/// reconnects and periodically, and patched every second (and on every control notice) with the
/// webhooks changed since the last look — so a new or changed webhook takes effect within about a
/// second on every replica.
///
/// Reads may overlap (the periodic patch, a control notice, a reload after an endpoint was
/// disabled): one that started before a read already applied is dropped, so an older snapshot never
/// replaces a newer one. `syncedThrough` says how fresh the index in use is: every webhook change
/// committed before that time is in it.
public final class SubscriptionCache: Sendable {
    struct State {
        var webhooks: [Int64: Webhook] = [:]
        var index = SubscriptionIndex.empty
        /// An index built from a full load is in use.
        var loaded = false
        /// `webhooks` holds a full load (the next index built from it may be marked loaded).
        var fetched = false
        /// Newest `updated_at` seen.
        var watermark = Date(timeIntervalSince1970: 0)
        /// One build at a time (single flight): a change marks the state dirty until a build takes
        /// a snapshot; one that arrives while an index is being built makes the builder build once
        /// more from the newest webhooks before it stops. So a slow build never installs an older
        /// snapshot over a newer one, and a stream of changes cannot keep every build from being
        /// installed.
        var building = false
        var dirty = false
        /// Reads are numbered as they start; only one newer than the last applied is applied.
        var readsStarted = 0
        var lastApplied = 0
        /// When the newest applied read started: `webhooks` holds every change committed before.
        var fetchedThrough = Date(timeIntervalSince1970: 0)
        /// The same for the index in use (once fully compiled from such a `webhooks`).
        var indexedThrough = Date(timeIntervalSince1970: 0)
    }

    /// A read of the store: its number and when it started (see `State.readsStarted`).
    private struct Read {
        let number: Int
        let startedAt: Date
    }

    /// Changes are re-read this far back, so a transaction that committed late is not missed.
    static let overlap: TimeInterval = 5

    private let state = Mutex(State())
    private let store: SubscriptionStore
    private let logger: Logger
    /// Memory budget of each tenant's pattern set.
    private let patternSetMemory: Int64
    /// Called with the number of tenants whose patterns are matched one by one, after each build.
    private let onPatternFallbacks: @Sendable (Int) -> Void

    public init(
        store: SubscriptionStore, logger: Logger, patternSetMemory: Int64 = PatternBudget.setMemory,
        onPatternFallbacks: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.store = store
        self.logger = logger
        self.patternSetMemory = patternSetMemory
        self.onPatternFallbacks = onPatternFallbacks
    }

    /// Builds an index (keeping the compiled pattern sets of tenants whose patterns did not change)
    /// and says in the log which tenants' pattern sets could not be built.
    /// `reported` is the index the previous report was about (not a quick index installed since),
    /// so that what changed is said once.
    private func build(_ webhooks: [Webhook], reported: SubscriptionIndex) -> SubscriptionIndex {
        let index = SubscriptionIndex(webhooks: webhooks, patternSetMemory: patternSetMemory, reusing: current)
        report(index, previous: reported)
        return index
    }

    /// Logs and counts the tenants whose pattern sets could not be built, and stored patterns and
    /// filters that do not compile, when that changes.
    private func report(_ index: SubscriptionIndex, previous: SubscriptionIndex) {
        let fallbacks = index.fallbackTenants
        // Said when it changes, not at every rebuild.
        if !fallbacks.isEmpty && (fallbacks != previous.fallbackTenants || !isLoaded) {
            logger.warning(
                "pattern sets over their memory budget: these tenants' resource_key_patterns are matched one by one",
                metadata: ["tenants": "\(fallbacks)", "budget_bytes": "\(patternSetMemory)"])
        }
        let invalid = index.invalidPatterns
        for (tenant, count) in invalid.sorted(by: { $0.key < $1.key }) where previous.invalidPatterns[tenant] != count || !isLoaded {
            logger.error(
                "stored resource_key_patterns that do not compile: their webhooks match no event",
                metadata: ["tenant_id": "\(tenant)", "patterns": "\(count)"])
        }
        for (id, error) in index.invalidFilters.sorted(by: { $0.key < $1.key }) where previous.invalidFilters[id] == nil || !isLoaded {
            // Code and path only: the message may quote the filter's values.
            logger.warning(
                "stored payload filter does not compile: its webhook matches no event",
                metadata: [
                    "webhook_id": "\(id)", "tenant_id": "\(index.webhooks[id]?.tenantId ?? 0)", "code": "\(error.code)", "path": "\(error.path)",
                ])
        }
        onPatternFallbacks(fallbacks.count)
    }

    /// The index in use.
    public var current: SubscriptionIndex { state.withLock { $0.index } }

    /// Whether the index was loaded at least once.
    public var isLoaded: Bool { state.withLock { $0.loaded } }

    /// Every webhook change committed before this time (this process's clock) is in the index in
    /// use; the Unix epoch until the first index is loaded.
    public var syncedThrough: Date { state.withLock { $0.indexedThrough } }

    /// Numbers a read about to start.
    private func startRead() -> Read {
        // Taken before the query is sent: every transaction committed before it is in the query's snapshot.
        let startedAt = Date()
        return state.withLock { s in
            s.readsStarted += 1
            return Read(number: s.readsStarted, startedAt: startedAt)
        }
    }

    /// Records `read` as applied, unless a newer read was applied first (then it must be dropped).
    private static func apply(_ read: Read, to s: inout State) -> Bool {
        guard read.number > s.lastApplied else { return false }
        s.lastApplied = read.number
        s.fetchedThrough = max(s.fetchedThrough, read.startedAt)
        return true
    }

    /// After a read changed `webhooks` (`changed`) or not, under the same lock: a change marks the
    /// state dirty until a build takes a snapshot of it (a build under way builds again), and an
    /// index already built from these webhooks counts as fresh through the read.
    private static func settle(changed: Bool, in s: inout State) {
        if changed {
            s.dirty = true
        } else if !s.building && !s.dirty && s.loaded {
            s.indexedThrough = max(s.indexedThrough, s.fetchedThrough)
        }
    }

    /// Rebuilds the index from every active webhook.
    public func reload() async throws(StorageError) {
        let read = startRead()
        let webhooks = try await store.loadActive()
        let applied = state.withLock { s -> Bool in
            guard Self.apply(read, to: &s) else { return false }
            s.webhooks = Dictionary(uniqueKeysWithValues: webhooks.map { ($0.id, $0) })
            s.fetched = true
            s.watermark = max(s.watermark, webhooks.map(\.updatedAt).max() ?? s.watermark)
            Self.settle(changed: true, in: &s)
            return true
        }
        if applied { rebuild() }
    }

    /// Applies the webhooks changed since the last look.
    public func refresh() async throws(StorageError) {
        guard isLoaded else { return try await reload() }
        let read = startRead()
        let since = state.withLock { $0.watermark }.addingTimeInterval(-Self.overlap)
        let (changed, newest) = try await store.loadChanged(since: since)
        let needsRebuild = state.withLock { s -> Bool in
            guard Self.apply(read, to: &s) else { return false }
            if let newest { s.watermark = max(s.watermark, newest) }
            let needed = changed.contains { s.webhooks[$0.id] != ($0.status == .active ? $0 : nil) }
            for webhook in changed {
                s.webhooks[webhook.id] = webhook.status == .active ? webhook : nil
            }
            Self.settle(changed: needed, in: &s)
            return needed
        }
        if needsRebuild { rebuild() }
    }

    /// Builds and installs indexes until one is built from the newest webhooks; returns at once
    /// when another call is building (that one builds again with these changes).
    private func rebuild() {
        var snapshot = state.withLock { s -> (webhooks: [Webhook], fetched: Bool, through: Date)? in
            if s.building {
                s.dirty = true
                return nil
            }
            s.building = true
            s.dirty = false
            return (Array(s.webhooks.values), s.fetched, s.fetchedThrough)
        }
        while let (webhooks, fetched, through) = snapshot {
            // Built outside the lock. Compiling a tenant's changed pattern set can take a second or
            // more: an index that keeps the previous sets goes in first, so no other tenant's
            // change waits for that compile.
            let reported = current
            if isLoaded {
                let quick = SubscriptionIndex(webhooks: webhooks, patternSetMemory: patternSetMemory, reusing: current, deferCompiling: true)
                if !quick.pendingTenants.isEmpty { state.withLock { $0.index = quick } }
            }
            let index = build(webhooks, reported: reported)
            let first: Bool
            (first, snapshot) = state.withLock { s in
                let first = fetched && !s.loaded
                s.index = index
                if fetched {
                    s.loaded = true
                    s.indexedThrough = max(s.indexedThrough, through)
                }
                guard s.dirty else {
                    s.building = false
                    // Reads applied since the snapshot changed nothing (or `dirty` would be set).
                    if fetched { s.indexedThrough = max(s.indexedThrough, s.fetchedThrough) }
                    return (first, nil)
                }
                s.dirty = false
                return (first, (Array(s.webhooks.values), s.fetched, s.fetchedThrough))
            }
            if first { logger.info("subscription index loaded", metadata: ["webhooks": "\(index.count)"]) }
        }
    }
}
