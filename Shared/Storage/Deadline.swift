import Synchronization

/// Runs a database operation with a deadline. A call on a connection the server dropped can, in
/// rare cases, never complete; past the deadline the caller gets `StorageError.unavailable` and can
/// hand its message back to the broker instead of holding it forever. The late operation is
/// cancelled and left to finish on its own; whether it committed is unknown, which at-least-once
/// delivery tolerates (tasks are unique per event and webhook, and settled tasks are skipped).
public func storage<T: Sendable>(deadline: Duration, _ body: @escaping @Sendable () async throws -> T) async throws(StorageError) -> T {
    let result: Result<T, StorageError> = await withCheckedContinuation { continuation in
        let settled = SettleOnce(continuation)
        let worker = Task {
            do {
                settled.resume(.success(try await body()))
            } catch {
                settled.resume(.failure(StorageError.from(error)))
            }
        }
        Task {
            try? await Task.sleep(for: deadline)
            if settled.resume(.failure(.unavailable("no answer from the database within \(deadline)"))) { worker.cancel() }
        }
    }
    return try result.get()
}

/// Resumes a continuation exactly once.
private final class SettleOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Result<T, StorageError>, Never>?>

    init(_ continuation: CheckedContinuation<Result<T, StorageError>, Never>) {
        self.continuation = Mutex(continuation)
    }

    /// Resumes with `result` unless already resumed; returns whether this call did.
    @discardableResult
    func resume(_ result: Result<T, StorageError>) -> Bool {
        guard
            let c = continuation.withLock({ c -> CheckedContinuation<Result<T, StorageError>, Never>? in
                defer { c = nil }
                return c
            })
        else { return false }
        c.resume(returning: result)
        return true
    }
}
