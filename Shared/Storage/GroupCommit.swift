import Synchronization

/// Group commit: concurrent callers' items are written together, one transaction for many, so a
/// burst costs a few commits (and WAL flushes) instead of one each.
///
/// At low load an item is written at once; while a write is in flight, new items queue up and go
/// out together in the next one (at most `maximumBatch` per write, at most `maximumConcurrentWrites`
/// writes at once). A caller may hand in several items at once (`submit(contentsOf:)`): they stay
/// together in one write, which may then exceed `maximumBatch` when they alone do.
public final class GroupCommit<Item: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch; returns one output per item, in the items' order.
    public typealias Writer = @Sendable ([Item]) async throws(StorageError) -> [Output]

    /// A caller waiting for its items' outputs: one item, or several handed in together.
    enum Waiter {
        case one(CheckedContinuation<Result<Output, StorageError>, Never>)
        case many(CheckedContinuation<Result<[Output], StorageError>, Never>, count: Int)

        var count: Int {
            switch self {
            case .one: 1
            case .many(_, let count): count
            }
        }

        func resume(_ outputs: ArraySlice<Output>) {
            switch self {
            case .one(let waiter): waiter.resume(returning: .success(outputs[outputs.startIndex]))
            case .many(let waiter, _): waiter.resume(returning: .success(Array(outputs)))
            }
        }

        func fail(_ error: StorageError) {
            switch self {
            case .one(let waiter): waiter.resume(returning: .failure(error))
            case .many(let waiter, _): waiter.resume(returning: .failure(error))
            }
        }
    }

    struct State {
        /// The waiting items, in order; `waiters` own them front to back, each its `count`.
        var items: [Item] = []
        var waiters: [Waiter] = []
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
        let result = await withCheckedContinuation { (waiter: CheckedContinuation<Result<Output, StorageError>, Never>) in
            enqueue(CollectionOfOne(item), .one(waiter))
        }
        return try result.get()
    }

    /// Writes `items` together, with whatever else is waiting; returns once they are committed, one
    /// output per item, in order.
    public func submit(contentsOf items: [Item]) async throws(StorageError) -> [Output] {
        guard !items.isEmpty else { return [] }
        let result = await withCheckedContinuation { (waiter: CheckedContinuation<Result<[Output], StorageError>, Never>) in
            enqueue(items, .many(waiter, count: items.count))
        }
        return try result.get()
    }

    private func enqueue(_ items: some Collection<Item>, _ waiter: Waiter) {
        let startWriter = state.withLock { s -> Bool in
            s.items.append(contentsOf: items)
            s.waiters.append(waiter)
            guard s.writers < maximumConcurrentWrites else { return false }
            s.writers += 1
            return true
        }
        if startWriter { Task { await self.drain() } }
    }

    private func drain() async {
        while true {
            let (items, waiters) = state.withLock { s -> ([Item], [Waiter]) in
                guard !s.waiters.isEmpty else {
                    s.writers -= 1
                    return ([], [])
                }
                // Whole callers only, up to `maximumBatch` items (the first caller always).
                var taken = 0
                var count = 0
                while taken < s.waiters.count {
                    let next = s.waiters[taken].count
                    if taken > 0 && count + next > maximumBatch { break }
                    count += next
                    taken += 1
                }
                let items = Array(s.items.prefix(count))
                s.items.removeFirst(count)
                let waiters = Array(s.waiters.prefix(taken))
                s.waiters.removeFirst(taken)
                return (items, waiters)
            }
            if waiters.isEmpty { return }
            do {
                let outputs = try await writer(items)
                var start = 0
                for waiter in waiters {
                    let end = start + waiter.count
                    waiter.resume(outputs[start..<end])
                    start = end
                }
            } catch {
                for waiter in waiters { waiter.fail(error) }
            }
        }
    }
}
