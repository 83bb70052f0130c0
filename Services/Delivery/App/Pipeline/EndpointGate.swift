import Synchronization

/// Per-endpoint isolation: caps the requests in flight to one webhook, limits their rate (token
/// bucket), and tracks recent latency, so one slow or failing endpoint cannot take the workers that
/// healthy endpoints need.
public final class EndpointGate: Sendable {
    struct Endpoint {
        var inFlight = 0
        var tokens: Double
        var refilledAt: ContinuousClock.Instant
        /// Exponentially weighted average of attempt durations, in seconds.
        var latency: Double = 0
    }

    /// Most requests in flight to one endpoint.
    public let maximumInFlight: Int
    /// Requests per second to one endpoint; 0 means unlimited.
    public let ratePerSecond: Double
    /// Average latency above which an endpoint counts as slow: its first attempts then go through the
    /// queue instead of holding up the fan-out of other endpoints' events.
    public let slowThreshold: Double
    private let endpoints = Mutex<[Int64: Endpoint]>([:])

    public init(maximumInFlight: Int, ratePerSecond: Double, slowThreshold: Duration = .seconds(2)) {
        self.maximumInFlight = max(1, maximumInFlight)
        self.ratePerSecond = ratePerSecond
        self.slowThreshold = Double(slowThreshold.components.seconds) + Double(slowThreshold.components.attoseconds) / 1e18
    }

    /// A permit to call `webhookID` now, or `nil` when its cap or rate is reached. When
    /// `requireFast` is set, a slow endpoint gets no permit either.
    public func tryAcquire(_ webhookID: Int64, requireFast: Bool = false) -> Permit? {
        let now = ContinuousClock.now
        let granted = endpoints.withLock { all -> Bool in
            var e = all[webhookID] ?? Endpoint(tokens: max(ratePerSecond, 1), refilledAt: now)
            if ratePerSecond > 0 {
                let elapsed = now - e.refilledAt
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                e.tokens = min(max(ratePerSecond, 1), e.tokens + seconds * ratePerSecond)
                e.refilledAt = now
            }
            guard e.inFlight < maximumInFlight, ratePerSecond == 0 || e.tokens >= 1,
                !(requireFast && e.latency > slowThreshold)
            else {
                all[webhookID] = e
                return false
            }
            e.inFlight += 1
            if ratePerSecond > 0 { e.tokens -= 1 }
            all[webhookID] = e
            return true
        }
        return granted ? Permit(gate: self, webhookID: webhookID) : nil
    }

    fileprivate func release(_ webhookID: Int64, duration: Duration?) {
        endpoints.withLock { all in
            guard var e = all[webhookID] else { return }
            e.inFlight -= 1
            if let duration {
                let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
                e.latency = e.latency == 0 ? seconds : 0.7 * e.latency + 0.3 * seconds
            }
            all[webhookID] = e
        }
    }

    /// Whether `webhookID` has as many requests in flight as it may (a permit would be refused).
    public func isSaturated(_ webhookID: Int64) -> Bool {
        endpoints.withLock { ($0[webhookID]?.inFlight ?? 0) >= maximumInFlight }
    }

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
