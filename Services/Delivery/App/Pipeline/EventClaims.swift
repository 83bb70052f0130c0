import Synchronization
import WebhookCore

/// The events this replica has in work, by key, from their look-up until their write is committed
/// (or has failed). The look-up reads only what is committed, so a second copy of an event arriving
/// meanwhile (twice in one batch, or in two messages at once) would find nothing stored and be
/// attempted again: it is a duplicate of the one in work, whose message is acknowledged only once
/// its write is committed, or else returns to the queue.
final class EventClaims: Sendable {
    private let keys = Mutex(Set<EventKey>())

    init() {}

    /// Claims `key`; `false` when it is in work already.
    func claim(_ key: EventKey) -> Bool {
        keys.withLock { $0.insert(key).inserted }
    }

    /// Gives `key` up once its event's write is committed or has failed.
    func release(_ key: EventKey) {
        _ = keys.withLock { $0.remove(key) }
    }
}
