import Foundation
import Logging
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
    }

    /// Changes are re-read this far back, so a transaction that committed late is not missed.
    static let overlap: TimeInterval = 5

    private let state = Mutex(State())
    private let store: SubscriptionStore
    private let logger: Logger

    public init(store: SubscriptionStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// The index in use.
    public var current: SubscriptionIndex { state.withLock { $0.index } }

    /// Whether the index was loaded at least once.
    public var isLoaded: Bool { state.withLock { $0.loaded } }

    /// Rebuilds the index from every active webhook.
    public func reload() async throws(StorageError) {
        let webhooks = try await store.loadActive()
        let byID = Dictionary(uniqueKeysWithValues: webhooks.map { ($0.id, $0) })
        let index = SubscriptionIndex(webhooks: webhooks)
        let first = state.withLock { s -> Bool in
            let first = !s.loaded
            s.webhooks = byID
            s.index = index
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
        state.withLock { s in
            for webhook in changed {
                s.webhooks[webhook.id] = webhook.status == .active ? webhook : nil
            }
            s.index = SubscriptionIndex(webhooks: Array(s.webhooks.values))
        }
    }
}
