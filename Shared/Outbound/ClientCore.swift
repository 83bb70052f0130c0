import CCurl
import Synchronization

/// The raw CURLM pointer, shared with non-curl threads for one purpose only.
///
/// Why `@unchecked Sendable` is safe: other threads use it solely to call
/// `curl_multi_wakeup`, which libcurl documents as callable from any thread.
/// Every such call is made while holding `ClientCore.state`'s lock and only
/// while the phase is `.running` (or during the transition to `.stopping`).
/// The curl thread calls `curl_multi_cleanup` only after it has observed
/// `.stopping` under the same lock, so no wakeup can race with cleanup. All
/// other use of the handle happens on the curl thread.
struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// State shared between client tasks and the curl thread.
final class ClientCore: Sendable {
    /// A request waiting to be picked up by the curl thread.
    struct Pending: Sendable {
        let request: OutboundRequest
        let continuation: TransferContinuation
    }

    enum Phase: Sendable { case running, stopping, stopped }

    struct State {
        var queue: [Pending] = []
        var phase: Phase = .running
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    struct Settings: Sendable {
        let policy: AddressPolicy
        let userAgent: String
        let maxConnectionsPerHost: Int
        let maxTotalConnections: Int
    }

    let settings: Settings
    /// nil when libcurl could not be initialised; the client then fails every send.
    let multi: MultiHandle?
    let startupError: OutboundError?
    private let state: Mutex<State>

    init(settings: Settings) {
        self.settings = settings
        var failure = CurlGlobal.initialize()
        var handle: MultiHandle?
        if failure == nil {
            if let raw = curl_multi_init() {
                handle = MultiHandle(raw: raw)
            } else {
                failure = OutboundError(code: .internal, message: "curl_multi_init failed")
            }
        }
        multi = handle
        startupError = failure
        state = Mutex(State(phase: handle == nil ? .stopped : .running))
    }

    /// Queues a request and wakes the curl thread; false once stopping.
    func enqueue(_ pending: Pending) -> Bool {
        state.withLock { state in
            guard state.phase == .running, let multi else { return false }
            state.queue.append(pending)
            curl_multi_wakeup(multi.raw)
            return true
        }
    }

    /// Asks the curl thread to stop (idempotent, non-blocking).
    func requestStop() {
        state.withLock { state in
            guard state.phase == .running, let multi else { return }
            state.phase = .stopping
            curl_multi_wakeup(multi.raw)
        }
    }

    /// Called by the curl thread: takes queued requests and reports whether to stop.
    func takeQueued() -> (requests: [Pending], stopping: Bool) {
        state.withLock { state in
            let requests = state.queue
            state.queue.removeAll()
            return (requests, state.phase != .running)
        }
    }

    /// Called by the curl thread after cleanup; resumes everyone in `waitUntilStopped`.
    func markStopped() {
        let waiters = state.withLock { state in
            state.phase = .stopped
            let waiters = state.exitWaiters
            state.exitWaiters.removeAll()
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the curl thread has finished.
    func waitUntilStopped() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                if state.phase == .stopped { return true }
                state.exitWaiters.append(waiter)
                return false
            }
            if done { waiter.resume() }
        }
    }

    /// The error for requests that arrive when the client cannot take them.
    var notRunningError: OutboundError {
        startupError ?? OutboundError(code: .shutdown, message: "the client has been shut down")
    }
}
