import Synchronization

/// Group commit: concurrent callers' items are written together, one transaction for many, so a
/// burst costs a few commits (and WAL flushes) instead of one each.
///
/// At low load an item is written at once; while a write is in flight, new items queue up and go
/// out together in the next one (at most `maximumBatch` per write, at most `maximumConcurrentWrites`
/// writes at once).
public final class GroupCommit<Item: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch; returns one output per item, in the items' order.
    public typealias Writer = @Sendable ([Item]) async throws(StorageError) -> [Output]
    typealias Waiter = CheckedContinuation<Result<Output, StorageError>, Never>

    struct State {
        var pending: [(Item, Waiter)] = []
        var writers = 0
    }

    private let writer: Writer
    private let state = Mutex(State())
    let maximumBatch: Int
    let maximumConcurrentWrites: Int

    public init(maximumBatch: Int, maximumConcurrentWrites: Int, writer: @escaping Writer) {
        self.writer = writer
        self.maximumBatch = maximumBatch
        self.maximumConcurrentWrites = maximumConcurrentWrites
    }

    /// Writes `item` with whatever else is waiting; returns once it is committed.
    public func submit(_ item: Item) async throws(StorageError) -> Output {
        let result = await withCheckedContinuation { (waiter: Waiter) in
            let startWriter = state.withLock { s -> Bool in
                s.pending.append((item, waiter))
                guard s.writers < maximumConcurrentWrites else { return false }
                s.writers += 1
                return true
            }
            if startWriter { Task { await self.drain() } }
        }
        return try result.get()
    }

    private func drain() async {
        while true {
            let batch = state.withLock { s -> [(Item, Waiter)] in
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
                let outputs = try await writer(batch.map(\.0))
                for (index, (_, waiter)) in batch.enumerated() { waiter.resume(returning: .success(outputs[index])) }
            } catch {
                for (_, waiter) in batch { waiter.resume(returning: .failure(error)) }
            }
        }
    }
}
