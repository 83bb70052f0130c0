import Synchronization

/// Bounds the work the fan-out stage holds at once, whatever messages it came in: the broker's
/// prefetch counts messages, while one batch message may hold hundreds of events. Delivery keeps
/// two: events in work (a unit per event) and batch messages' bytes in work (a unit per byte).
///
/// A counting semaphore with first-come order: a request for several units waits until all of them
/// are free, and later requests wait behind it. Work takes its units before it starts and gives
/// them back once its effects are committed. A batch holds its bytes while its events wait for
/// event units; that cannot deadlock: nothing holds event units while waiting for bytes, and the
/// event units come back from events already started, which wait for neither.
final class WorkBudget: Sendable {
    private struct Waiter {
        var units: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var head = 0
    }

    private let state: Mutex<State>
    /// The most units one request takes: a larger request is cut to this (it then runs alone).
    let limit: Int

    /// - Parameter limit: units in work at once (at least 1).
    init(limit: Int) {
        self.limit = max(1, limit)
        state = Mutex(State(available: self.limit))
    }

    /// Requests waiting now.
    var waiting: Int { state.withLock { $0.waiters.count - $0.head } }

    /// Units free now.
    var available: Int { state.withLock { $0.available } }

    /// Waits for `units` units (at most `limit`); returns how many were taken, for `release`.
    @discardableResult
    func acquire(_ units: Int = 1) async -> Int {
        let units = min(max(1, units), limit)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { s -> Bool in
                if s.available >= units && s.head == s.waiters.count {
                    s.available -= units
                    return true
                }
                s.waiters.append(Waiter(units: units, continuation: continuation))
                return false
            }
            if granted { continuation.resume() }
        }
        return units
    }

    /// Gives `units` back; they pass to the oldest waiters, in order, as far as they go.
    func release(_ units: Int = 1) {
        var returned = units
        while let next = nextReady(returning: returned) {
            returned = 0
            next.resume()
        }
    }

    /// Adds `units` to what is free and takes the oldest waiter off if its request fits now.
    private func nextReady(returning units: Int) -> CheckedContinuation<Void, Never>? {
        state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.available += units
            guard s.head < s.waiters.count, s.waiters[s.head].units <= s.available else { return nil }
            let waiter = s.waiters[s.head]
            s.available -= waiter.units
            s.head += 1
            if s.head == s.waiters.count {
                s.waiters.removeAll(keepingCapacity: true)
                s.head = 0
            } else if s.head >= 1024 && s.head * 2 >= s.waiters.count {
                // Never empty under steady load: drop the served front now and then.
                s.waiters.removeFirst(s.head)
                s.head = 0
            }
            return waiter.continuation
        }
    }
}
