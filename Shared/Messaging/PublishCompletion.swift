import Synchronization

/// Where the broker's answer to one published message goes: the continuation of the caller that
/// published it alone, or its slot in a batch (see `AMQPConnection.publish(exchange:batch:)`).
struct PublishCompletion: Sendable {
    private enum Target: Sendable {
        case single(CheckedContinuation<Result<Void, AMQPError>, Never>)
        case batch(PublishBatch, index: Int)
    }

    private let target: Target

    static func single(_ continuation: CheckedContinuation<Result<Void, AMQPError>, Never>) -> PublishCompletion {
        PublishCompletion(target: .single(continuation))
    }

    static func slot(_ index: Int, of batch: PublishBatch) -> PublishCompletion {
        PublishCompletion(target: .batch(batch, index: index))
    }

    /// Hands over the outcome; each completion is resumed exactly once.
    func resume(_ result: Result<Void, AMQPError>) {
        switch target {
        case .single(let continuation): continuation.resume(returning: result)
        case .batch(let batch, let index): batch.settle(index, result)
        }
    }
}

/// The outcomes of a batch of publishes, collected as the broker confirms them; the caller is
/// resumed once, when the last one is in.
final class PublishBatch: Sendable {
    private struct State {
        var results: [Result<Void, AMQPError>]
        var remaining: Int
        var continuation: CheckedContinuation<[Result<Void, AMQPError>], Never>?
    }

    private let state: Mutex<State>

    init(count: Int, continuation: CheckedContinuation<[Result<Void, AMQPError>], Never>) {
        state = Mutex(State(results: Array(repeating: .success(()), count: count), remaining: count, continuation: continuation))
    }

    func settle(_ index: Int, _ result: Result<Void, AMQPError>) {
        let done = state.withLock { s -> (CheckedContinuation<[Result<Void, AMQPError>], Never>, [Result<Void, AMQPError>])? in
            s.results[index] = result
            s.remaining -= 1
            guard s.remaining == 0, let continuation = s.continuation else { return nil }
            s.continuation = nil
            return (continuation, s.results)
        }
        if let (continuation, results) = done { continuation.resume(returning: results) }
    }
}
