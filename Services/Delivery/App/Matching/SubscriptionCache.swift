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
        /// One build at a time (single flight): a change that arrives while an index is being built
        /// marks the state dirty, and the builder builds once more from the newest webhooks before it
        /// stops. So a slow build never installs an older snapshot over a newer one, and a stream
        /// of changes cannot keep every build from being installed.
        var building = false
        var dirty = false
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
    private func build(_ webhooks: [Webhook]) -> SubscriptionIndex {
        let previous = current
        let index = SubscriptionIndex(webhooks: webhooks, patternSetMemory: patternSetMemory, reusing: previous)
        report(index, previous: previous)
        return index
    }

    /// Logs and counts the tenants whose pattern sets could not be built, and stored patterns that
    /// do not compile, when that changes.
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
        onPatternFallbacks(fallbacks.count)
    }

    /// The index in use.
    public var current: SubscriptionIndex { state.withLock { $0.index } }

    /// Whether the index was loaded at least once.
    public var isLoaded: Bool { state.withLock { $0.loaded } }

    /// Rebuilds the index from every active webhook.
    public func reload() async throws(StorageError) {
        let webhooks = try await store.loadActive()
        state.withLock { s in
            s.webhooks = Dictionary(uniqueKeysWithValues: webhooks.map { ($0.id, $0) })
            s.fetched = true
            s.watermark = max(s.watermark, webhooks.map(\.updatedAt).max() ?? s.watermark)
        }
        rebuild()
    }

    /// Applies the webhooks changed since the last look.
    public func refresh() async throws(StorageError) {
        guard isLoaded else { return try await reload() }
        let since = state.withLock { $0.watermark }.addingTimeInterval(-Self.overlap)
        let (changed, newest) = try await store.loadChanged(since: since)
        let needsRebuild = state.withLock { s -> Bool in
            if let newest { s.watermark = max(s.watermark, newest) }
            let needed = changed.contains { s.webhooks[$0.id] != ($0.status == .active ? $0 : nil) }
            for webhook in changed {
                s.webhooks[webhook.id] = webhook.status == .active ? webhook : nil
            }
            return needed
        }
        if needsRebuild { rebuild() }
    }

    /// Builds and installs indexes until one is built from the newest webhooks; returns at once
    /// when another call is building (that one builds again with these changes).
    private func rebuild() {
        var snapshot = state.withLock { s -> (webhooks: [Webhook], fetched: Bool)? in
            if s.building {
                s.dirty = true
                return nil
            }
            s.building = true
            s.dirty = false
            return (Array(s.webhooks.values), s.fetched)
        }
        while let (webhooks, fetched) = snapshot {
            // Built outside the lock. Compiling a tenant's changed pattern set can take a second or
            // more: an index that keeps the previous sets goes in first, so no other tenant's
            // change waits for that compile.
            if isLoaded {
                let quick = SubscriptionIndex(webhooks: webhooks, patternSetMemory: patternSetMemory, reusing: current, deferCompiling: true)
                if !quick.pendingTenants.isEmpty { state.withLock { $0.index = quick } }
            }
            let index = build(webhooks)
            let first: Bool
            (first, snapshot) = state.withLock { s in
                let first = fetched && !s.loaded
                s.index = index
                if fetched { s.loaded = true }
                guard s.dirty else {
                    s.building = false
                    return (first, nil)
                }
                s.dirty = false
                return (first, (Array(s.webhooks.values), s.fetched))
            }
            if first { logger.info("subscription index loaded", metadata: ["webhooks": "\(index.count)"]) }
        }
    }
}
