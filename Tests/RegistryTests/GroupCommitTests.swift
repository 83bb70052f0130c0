import Synchronization
import Testing

@testable import Storage

/// Group commit without a database: single items and several handed in together share writes,
/// each caller gets its own outputs in order, and a failed write fails exactly its callers.
@Suite struct GroupCommitTests {
    /// Records every batch written; doubles each item, fails a batch holding a negative one.
    final class Log: Sendable {
        let batches = Mutex<[[Int]]>([])
    }

    static func group(_ log: Log, maximumBatch: Int) -> GroupCommit<Int, Int> {
        GroupCommit(maximumBatch: maximumBatch, maximumConcurrentWrites: 1) { items throws(StorageError) in
            log.batches.withLock { $0.append(items) }
            try? await Task.sleep(for: .milliseconds(5))
            if items.contains(where: { $0 < 0 }) { throw .failed("negative") }
            return items.map { $0 * 2 }
        }
    }

    @Test func severalItemsTogetherGetTheirOutputsInOrder() async throws {
        let log = Log()
        let group = Self.group(log, maximumBatch: 10)
        #expect(try await group.submit(contentsOf: []) == [])
        #expect(try await group.submit(contentsOf: [1, 2, 3]) == [2, 4, 6])
        #expect(try await group.submit(7) == 14)
        #expect(log.batches.withLock { $0 } == [[1, 2, 3], [7]])
    }

    @Test func concurrentCallersShareWritesAndKeepTheirOwnOutputs() async throws {
        let log = Log()
        let group = Self.group(log, maximumBatch: 8)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for caller in 0..<40 {
                tasks.addTask { () async throws -> Void in
                    if caller % 3 == 0 {
                        let items = (0..<(caller % 7 + 1)).map { caller * 100 + $0 }
                        let outputs = try await group.submit(contentsOf: items)
                        #expect(outputs == items.map { $0 * 2 })
                    } else {
                        let output = try await group.submit(caller)
                        #expect(output == caller * 2)
                    }
                }
            }
            try await tasks.waitForAll()
        }
        let batches = log.batches.withLock { $0 }
        #expect(batches.count < 40, "callers waiting together share a write")
        #expect(batches.allSatisfy { $0.count <= 8 })
        var submitted = 0
        for caller in 0..<40 { submitted += caller % 3 == 0 ? caller % 7 + 1 : 1 }
        let written = batches.reduce(0) { $0 + $1.count }
        #expect(written == submitted)
    }

    @Test func aCallerLargerThanTheLimitIsWrittenWhole() async throws {
        let log = Log()
        let group = Self.group(log, maximumBatch: 2)
        #expect(try await group.submit(contentsOf: [1, 2, 3, 4, 5]) == [2, 4, 6, 8, 10])
        #expect(log.batches.withLock { $0 } == [[1, 2, 3, 4, 5]])
    }

    @Test func aFailedWriteFailsItsCallersOnly() async throws {
        let log = Log()
        let group = Self.group(log, maximumBatch: 100)
        await #expect(throws: StorageError.self) { try await group.submit(contentsOf: [1, -1]) }
        #expect(try await group.submit(contentsOf: [4, 5]) == [8, 10])
        await #expect(throws: StorageError.self) { try await group.submit(-3) }
        #expect(try await group.submit(6) == 12)
    }
}
