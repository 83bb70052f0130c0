/// Group commit of attempt records: concurrent callers' records are written together in one
/// transaction (see `GroupCommit` and `DeliveryStore.recordAttempts`).
public final class AttemptRecorder: Sendable {
    private let group: GroupCommit<AttemptRecord, RecordedAttempt>

    public init(store: DeliveryStore, maximumBatch: Int = 500, maximumConcurrentWrites: Int = 2) {
        group = GroupCommit(maximumBatch: maximumBatch, maximumConcurrentWrites: maximumConcurrentWrites) { records throws(StorageError) in
            let results = try await store.recordAttempts(records)
            return records.map { results[$0.attempt.taskId] ?? RecordedAttempt(scheduleVersion: 0) }
        }
    }

    /// Records one attempt; returns once it is committed.
    public func record(_ record: AttemptRecord) async throws(StorageError) -> RecordedAttempt {
        try await group.submit(record)
    }
}
