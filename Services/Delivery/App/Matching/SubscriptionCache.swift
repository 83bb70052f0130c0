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
        var loaded = false
        /// Newest `updated_at` seen.
        var watermark = Date(timeIntervalSince1970: 0)
        /// Bumped on every change to `webhooks`. Indexes are built outside the lock, and refreshes
        /// overlap (the periodic one, the one a control notice starts, a reload after a failure):
        /// an index is installed only if no change came after the snapshot it was built from, so a
        /// slow build of an older snapshot never replaces a newer index.
        var generation = 0
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

    public init(store: SubscriptionStore, logger: Logger, patternSetMemory: Int64 = PatternBudget.setMemory,
                onPatternFallbacks: @escaping @Sendable (Int) -> Void = { _ in }) {
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
        let fallbacks = index.fallbackTenants
        // Said when it changes, not at every rebuild.
        if !fallbacks.isEmpty && (fallbacks != previous.fallbackTenants || !isLoaded) {
            logger.warning("pattern sets over their memory budget: these tenants' resource_key_patterns are matched one by one",
                           metadata: ["tenants": "\(fallbacks)", "budget_bytes": "\(patternSetMemory)"])
        }
        let invalid = index.invalidPatterns
        for (tenant, count) in invalid.sorted(by: { $0.key < $1.key }) where previous.invalidPatterns[tenant] != count || !isLoaded {
            logger.error("stored resource_key_patterns that do not compile: their webhooks match no event",
                         metadata: ["tenant_id": "\(tenant)", "patterns": "\(count)"])
        }
        onPatternFallbacks(fallbacks.count)
        return index
    }

    /// The index in use.
    public var current: SubscriptionIndex { state.withLock { $0.index } }

    /// Whether the index was loaded at least once.
    public var isLoaded: Bool { state.withLock { $0.loaded } }

    /// Rebuilds the index from every active webhook.
    public func reload() async throws(StorageError) {
        let webhooks = try await store.loadActive()
        let byID = Dictionary(uniqueKeysWithValues: webhooks.map { ($0.id, $0) })
        let index = build(webhooks)
        let first = state.withLock { s -> Bool in
            let first = !s.loaded
            s.webhooks = byID
            s.index = index
            s.generation += 1
            s.loaded = true
            s.watermark = max(s.watermark, webhooks.map(\.updatedAt).max() ?? s.watermark)
            return first
        }
        if first { logger.info("subscription index loaded", metadata: ["webhooks": "\(index.count)"]) }
    }

    /// Applies the webhooks changed since the last look.
    public func refresh() async throws(StorageError) {
        guard isLoaded else { return try await reload() }
        let since = state.withLock { $0.watermark }.addingTimeInterval(-Self.overlap)
        let (changed, newest) = try await store.loadChanged(since: since)
        let needsRebuild = state.withLock { s -> Bool in
            if let newest { s.watermark = max(s.watermark, newest) }
            return changed.contains { s.webhooks[$0.id] != ($0.status == .active ? $0 : nil) }
        }
        guard needsRebuild else { return }
        let (all, generation) = state.withLock { s in
            for webhook in changed {
                s.webhooks[webhook.id] = webhook.status == .active ? webhook : nil
            }
            s.generation += 1
            return (Array(s.webhooks.values), s.generation)
        }
        // Built outside the lock (compiling pattern sets takes a while). A build of a later
        // snapshot, under way or done, installs its own index instead of this one.
        let index = build(all)
        state.withLock { s in
            if s.generation == generation { s.index = index }
        }
    }
}
