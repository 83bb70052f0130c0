import Synchronization

/// Bounds the events the fan-out stage works on at once, whatever messages they came in: one
/// broker message may be a batch of hundreds of events while the broker's prefetch counts messages.
///
/// A counting semaphore with first-come order. An event takes one unit before it is recorded and
/// gives it back once its effects are committed. Holding units while waiting for more cannot
/// deadlock: an event in work never waits for another unit, so every unit held comes back.
final class EventBudget: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }

    private let state: Mutex<State>

    /// - Parameter limit: events in work at once (at least 1).
    init(limit: Int) {
        state = Mutex(State(available: max(1, limit)))
    }

    /// Waits for a unit.
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { s -> Bool in
                if s.available > 0 && s.head == s.waiters.count {
                    s.available -= 1
                    return true
                }
                s.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    /// Gives a unit back; it passes straight to the oldest waiter, if any.
    func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard s.head < s.waiters.count else {
                s.available += 1
                return nil
            }
            let waiter = s.waiters[s.head]
            s.head += 1
            if s.head == s.waiters.count {
                s.waiters.removeAll(keepingCapacity: true)
                s.head = 0
            } else if s.head >= 1024 && s.head * 2 >= s.waiters.count {
                // Never empty under steady load: drop the served front now and then.
                s.waiters.removeFirst(s.head)
                s.head = 0
            }
            return waiter
        }
        next?.resume()
    }
}
