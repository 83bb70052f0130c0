import Synchronization

/// Group commit of attempt records: concurrent callers' records are written together in one
/// transaction, so a burst of deliveries costs a few database round trips instead of one each.
///
/// At low load a record is written at once; while a write is in flight, new records queue up and
/// go out together in the next one (at most `maximumBatch` per transaction, at most
/// `maximumConcurrentWrites` transactions at once).
public final class AttemptRecorder: Sendable {
    typealias Waiter = CheckedContinuation<Result<RecordedAttempt, StorageError>, Never>

    struct State {
        var pending: [(AttemptRecord, Waiter)] = []
        var writers = 0
    }

    private let store: DeliveryStore
    private let state = Mutex(State())
    let maximumBatch: Int
    let maximumConcurrentWrites: Int

    public init(store: DeliveryStore, maximumBatch: Int = 500, maximumConcurrentWrites: Int = 2) {
        self.store = store
        self.maximumBatch = maximumBatch
        self.maximumConcurrentWrites = maximumConcurrentWrites
    }

    /// Records one attempt; returns once it is committed.
    public func record(_ record: AttemptRecord) async throws(StorageError) -> RecordedAttempt {
        let result = await withCheckedContinuation { (waiter: Waiter) in
            let startWriter = state.withLock { s -> Bool in
                s.pending.append((record, waiter))
                guard s.writers < maximumConcurrentWrites else { return false }
                s.writers += 1
                return true
            }
            if startWriter { Task { await self.write() } }
        }
        return try result.get()
    }

    private func write() async {
        while true {
            let batch = state.withLock { s -> [(AttemptRecord, Waiter)] in
                let n = min(s.pending.count, maximumBatch)
                if n == 0 {
                    s.writers -= 1
                    return []
                }
                let taken = Array(s.pending.prefix(n))
                s.pending.removeFirst(n)
                return taken
            }
            if batch.isEmpty { return }
            do {
                let results = try await store.recordAttempts(batch.map(\.0))
                for (record, waiter) in batch {
                    waiter.resume(returning: .success(results[record.attempt.taskId] ?? RecordedAttempt(scheduleVersion: 0)))
                }
            } catch {
                for (_, waiter) in batch { waiter.resume(returning: .failure(error)) }
            }
        }
    }
}
