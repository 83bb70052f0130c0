import Synchronization

/// Per-endpoint isolation: caps the requests in flight to one webhook, limits their rate (token
/// bucket), and tracks recent latency, so one slow or failing endpoint cannot take the workers that
/// healthy endpoints need. A webhook may set its own cap and rate (`Webhook.maxInFlight`,
/// `Webhook.rateLimit`); callers pass them with each permit asked for, and the gate's own values
/// apply to webhooks that set none.
public final class EndpointGate: Sendable {
    struct Endpoint {
        var inFlight = 0
        var tokens: Double
        var refilledAt: ContinuousClock.Instant
        /// Exponentially weighted average of attempt durations, in seconds.
        var latency: Double = 0
        /// Callers of `acquire(_:patience:)` waiting for a request in flight to finish, oldest first.
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        /// This endpoint's cap and rate as last asked for: the webhook's own, or the gate's.
        var cap: Int
        var rate: Double
    }

    /// Most requests in flight to one endpoint.
    public let maximumInFlight: Int
    /// Requests per second to one endpoint; 0 means unlimited.
    public let ratePerSecond: Double
    /// Average latency above which an endpoint counts as slow: its first attempts then go through the
    /// queue instead of holding up the fan-out of other endpoints' events.
    public let slowThreshold: Double
    private let endpoints = Mutex<[Int64: Endpoint]>([:])
    private let nextWaiter = Atomic<UInt64>(0)

    public init(maximumInFlight: Int, ratePerSecond: Double, slowThreshold: Duration = .seconds(2)) {
        self.maximumInFlight = max(1, maximumInFlight)
        self.ratePerSecond = ratePerSecond
        self.slowThreshold = Double(slowThreshold.components.seconds) + Double(slowThreshold.components.attoseconds) / 1e18
    }

    /// The cap that applies to a webhook whose own is `maxInFlight` (`nil`: the gate's).
    func cap(_ maxInFlight: Int?) -> Int { maxInFlight.map { max(1, $0) } ?? maximumInFlight }

    /// The rate that applies to a webhook whose own is `rateLimit` (`nil`: the gate's).
    func rate(_ rateLimit: Int?) -> Double { rateLimit.map { Double(max(1, $0)) } ?? ratePerSecond }

    /// A permit to call `webhookID` now, or `nil` when its cap or rate is reached. When
    /// `requireFast` is set, a slow endpoint gets no permit either.
    /// - Parameters:
    ///   - maxInFlight: the webhook's own cap (`Webhook.maxInFlight`); `nil` uses `maximumInFlight`.
    ///   - rateLimit: the webhook's own rate (`Webhook.rateLimit`); `nil` uses `ratePerSecond`.
    public func tryAcquire(_ webhookID: Int64, maxInFlight: Int? = nil, rateLimit: Int? = nil, requireFast: Bool = false) -> Permit? {
        let now = ContinuousClock.now
        let cap = cap(maxInFlight)
        let rate = rate(rateLimit)
        let granted = endpoints.withLock { all -> Bool in
            var e = all[webhookID] ?? Endpoint(tokens: max(rate, 1), refilledAt: now, cap: cap, rate: rate)
            // The webhook's limits as it has them now (an update applies from its next request).
            e.cap = cap
            e.rate = rate
            if rate > 0 {
                let elapsed = now - e.refilledAt
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                e.tokens = min(max(rate, 1), e.tokens + seconds * rate)
                e.refilledAt = now
            }
            guard e.inFlight < cap, rate == 0 || e.tokens >= 1,
                !(requireFast && e.latency > slowThreshold)
            else {
                all[webhookID] = e
                return false
            }
            e.inFlight += 1
            if rate > 0 { e.tokens -= 1 }
            all[webhookID] = e
            return true
        }
        return granted ? Permit(gate: self, webhookID: webhookID) : nil
    }

    /// A permit to call `webhookID`, waiting up to `patience` for one of its requests in flight to
    /// finish when it is at its cap: for a fast endpoint, a slot frees within milliseconds, far
    /// sooner than a trip through the task queue would take. Waits only when the endpoint is merely
    /// full — not slow, not rate-limited — and fewer callers than its cap wait already, so a burst to
    /// one endpoint holds at most twice its cap of the caller's work. `nil`: hand the request off.
    /// `maxInFlight` and `rateLimit` are the webhook's own limits, as for `tryAcquire`.
    public func acquire(_ webhookID: Int64, maxInFlight: Int? = nil, rateLimit: Int? = nil, patience: Duration) async -> Permit? {
        if let permit = tryAcquire(webhookID, maxInFlight: maxInFlight, rateLimit: rateLimit, requireFast: true) { return permit }
        guard rate(rateLimit) == 0 else { return nil }
        let id = nextWaiter.add(1, ordering: .relaxed).newValue
        let granted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            enum Outcome { case granted, queued, refused }
            let outcome = endpoints.withLock { all -> Outcome in
                guard var e = all[webhookID], e.latency <= slowThreshold else { return .refused }
                if e.inFlight < e.cap {  // a request finished since the first try
                    e.inFlight += 1
                    all[webhookID] = e
                    return .granted
                }
                guard e.waiters.count < e.cap else { return .refused }
                e.waiters.append((id, continuation))
                all[webhookID] = e
                return .queued
            }
            switch outcome {
            case .granted: continuation.resume(returning: true)
            case .refused: continuation.resume(returning: false)
            case .queued:
                Task { [self] in
                    try? await Task.sleep(for: patience)
                    giveUp(webhookID, waiter: id)
                }
            }
        }
        return granted ? Permit(gate: self, webhookID: webhookID) : nil
    }

    /// Ends a wait that lasted its whole patience (a no-op when the waiter got its permit).
    private func giveUp(_ webhookID: Int64, waiter: UInt64) {
        let expired = endpoints.withLock { all -> CheckedContinuation<Bool, Never>? in
            guard var e = all[webhookID], let at = e.waiters.firstIndex(where: { $0.id == waiter }) else { return nil }
            let continuation = e.waiters.remove(at: at).continuation
            all[webhookID] = e
            return continuation
        }
        expired?.resume(returning: false)
    }

    fileprivate func release(_ webhookID: Int64, duration: Duration?) {
        // The slot passes straight to the oldest waiter, if any; otherwise it is freed. An endpoint
        // that has just turned slow sends all its waiters away (they hand their tasks off).
        let (next, refused) = endpoints.withLock { all -> (CheckedContinuation<Bool, Never>?, [CheckedContinuation<Bool, Never>]) in
            guard var e = all[webhookID] else { return (nil, []) }
            if let duration {
                let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
                e.latency = e.latency == 0 ? seconds : 0.7 * e.latency + 0.3 * seconds
            }
            var next: CheckedContinuation<Bool, Never>?
            var refused: [CheckedContinuation<Bool, Never>] = []
            if e.latency > slowThreshold {
                refused = e.waiters.map(\.continuation)
                e.waiters.removeAll()
            }
            if e.waiters.isEmpty {
                e.inFlight -= 1
            } else {
                next = e.waiters.removeFirst().continuation
            }
            all[webhookID] = e
            return (next, refused)
        }
        next?.resume(returning: true)
        for waiter in refused { waiter.resume(returning: false) }
    }

    /// Whether `webhookID` has as many requests in flight as it may (a permit would be refused), by
    /// the cap it was last given.
    public func isSaturated(_ webhookID: Int64) -> Bool {
        endpoints.withLock { all in all[webhookID].map { $0.inFlight >= $0.cap } ?? false }
    }

    /// Callers waiting in `acquire(_:patience:)` for `webhookID`.
    public func waiting(_ webhookID: Int64) -> Int { endpoints.withLock { $0[webhookID]?.waiters.count ?? 0 } }

    /// Requests in flight to `webhookID`.
    public func inFlight(_ webhookID: Int64) -> Int { endpoints.withLock { $0[webhookID]?.inFlight ?? 0 } }

    /// Requests in flight to all endpoints.
    public var totalInFlight: Int { endpoints.withLock { $0.values.reduce(0) { $0 + $1.inFlight } } }

    /// The right to make one request; give it back with `release(after:)`.
    public struct Permit: Sendable {
        let gate: EndpointGate
        let webhookID: Int64

        /// Returns the permit, recording how long the request took.
        public func release(after duration: Duration?) { gate.release(webhookID, duration: duration) }
    }
}
