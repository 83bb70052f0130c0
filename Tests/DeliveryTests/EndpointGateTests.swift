import Testing

@testable import DeliveryApp

@Suite("Endpoint gate")
struct EndpointGateTests {
    @Test func capsRequestsInFlightPerEndpoint() {
        let gate = EndpointGate(maximumInFlight: 2, ratePerSecond: 0)
        let a = gate.tryAcquire(1), b = gate.tryAcquire(1)
        #expect(a != nil && b != nil)
        #expect(gate.tryAcquire(1) == nil, "third concurrent request refused")
        #expect(gate.tryAcquire(2) != nil, "other endpoints unaffected")
        a?.release(after: .milliseconds(10))
        #expect(gate.tryAcquire(1) != nil)
    }

    @Test func aWebhooksOwnCapReplacesTheGlobalOne() {
        let gate = EndpointGate(maximumInFlight: 3, ratePerSecond: 0)
        // Webhook 1 allows one request in flight, webhook 2 has no cap of its own (3).
        let one = gate.tryAcquire(1, maxInFlight: 1)
        #expect(one != nil)
        #expect(gate.tryAcquire(1, maxInFlight: 1) == nil, "never two in flight to webhook 1")
        #expect(gate.isSaturated(1))
        let others = (0..<3).compactMap { _ in gate.tryAcquire(2) }
        #expect(others.count == 3, "webhook 2 gets the global three")
        #expect(gate.tryAcquire(2) == nil && gate.inFlight(2) == 3)
        one?.release(after: .milliseconds(5))
        let next = gate.tryAcquire(1, maxInFlight: 1)
        #expect(next != nil && gate.tryAcquire(1, maxInFlight: 1) == nil && gate.inFlight(1) == 1)
        // A raised cap applies from the next request.
        #expect(gate.tryAcquire(1, maxInFlight: 2) != nil && gate.inFlight(1) == 2)
    }

    @Test func aWebhooksOwnCapBoundsItsWaiters() async {
        let gate = EndpointGate(maximumInFlight: 3, ratePerSecond: 0)
        let first = await gate.acquire(1, maxInFlight: 1, patience: .zero)
        #expect(first != nil)
        async let waiting = gate.acquire(1, maxInFlight: 1, patience: .seconds(30))
        while gate.waiting(1) == 0 { await Task.yield() }
        #expect(await gate.acquire(1, maxInFlight: 1, patience: .seconds(30)) == nil, "no more waiters than its own cap")
        first?.release(after: .milliseconds(5))
        let second = await waiting
        #expect(second != nil && gate.inFlight(1) == 1)
        second?.release(after: nil)
    }

    @Test func aWebhooksOwnRateReplacesTheGlobalOne() async {
        // Unlimited by default; webhook 1 allows 2 per second.
        let gate = EndpointGate(maximumInFlight: 100, ratePerSecond: 0)
        var granted = 0
        for _ in 0..<10 {
            if let p = gate.tryAcquire(1, rateLimit: 2) {
                granted += 1
                p.release(after: nil)
            }
        }
        #expect(granted == 2, "its own bucket holds two")
        let unlimited = (0..<10).compactMap { _ in gate.tryAcquire(2) }
        #expect(unlimited.count == 10, "others keep the global (no) limit")
        #expect(await gate.acquire(1, rateLimit: 2, patience: .seconds(30)) == nil, "a rate-limited webhook is not waited for")
        // And the other way round: a global rate of 1, a webhook allowed 5.
        let strict = EndpointGate(maximumInFlight: 100, ratePerSecond: 1)
        let fast = (0..<10).compactMap { _ in strict.tryAcquire(3, rateLimit: 5) }
        #expect(fast.count == 5)
        #expect((0..<10).compactMap { _ in strict.tryAcquire(4) }.count == 1)
    }

    @Test func aFullEndpointHandsItsNextSlotToTheOldestWaiter() async {
        let gate = EndpointGate(maximumInFlight: 1, ratePerSecond: 0)
        let first = gate.tryAcquire(1)
        #expect(first != nil)
        async let waiting = gate.acquire(1, patience: .seconds(30))
        while gate.isSaturated(1) && gate.waiting(1) == 0 { await Task.yield() }
        #expect(await gate.acquire(1, patience: .seconds(30)) == nil, "no more waiters than the cap")
        first?.release(after: .milliseconds(5))
        let second = await waiting
        #expect(second != nil, "the released slot went to the waiter")
        #expect(gate.inFlight(1) == 1, "passed on, not freed and taken again")
        #expect(await gate.acquire(1, patience: .milliseconds(20)) == nil, "patience runs out")
        second?.release(after: nil)
        #expect(gate.inFlight(1) == 0)
        #expect(await gate.acquire(1, patience: .zero) != nil)
    }

    @Test func waitersAreSentAwayWhenTheEndpointTurnsSlow() async {
        let gate = EndpointGate(maximumInFlight: 1, ratePerSecond: 0, slowThreshold: .seconds(2))
        let first = gate.tryAcquire(1)
        async let waiting = gate.acquire(1, patience: .seconds(30))
        while gate.waiting(1) == 0 { await Task.yield() }
        first?.release(after: .seconds(10))
        #expect(await waiting == nil, "no slot for a slow endpoint: the task is handed off")
        #expect(gate.inFlight(1) == 0)
    }

    @Test func slowOrRateLimitedEndpointsAreNotWaitedFor() async {
        let slow = EndpointGate(maximumInFlight: 1, ratePerSecond: 0, slowThreshold: .seconds(2))
        slow.tryAcquire(1)?.release(after: .seconds(30))
        #expect(await slow.acquire(1, patience: .seconds(30)) == nil)
        let limited = EndpointGate(maximumInFlight: 1, ratePerSecond: 5)
        let held = limited.tryAcquire(1)
        #expect(held != nil)
        #expect(await limited.acquire(1, patience: .seconds(30)) == nil)
    }

    @Test func rateLimits() {
        let gate = EndpointGate(maximumInFlight: 100, ratePerSecond: 3)
        var granted = 0
        for _ in 0..<10 {
            if let p = gate.tryAcquire(7) {
                granted += 1
                p.release(after: nil)
            }
        }
        #expect(granted == 3, "a burst gets the bucket's size")
    }

    @Test func slowEndpointsAreKeptOutOfTheInlinePath() {
        let gate = EndpointGate(maximumInFlight: 10, ratePerSecond: 0, slowThreshold: .seconds(2))
        gate.tryAcquire(1)?.release(after: .seconds(30))
        #expect(gate.tryAcquire(1, requireFast: true) == nil)
        #expect(gate.tryAcquire(1) != nil, "the queued path still gets permits")
        gate.tryAcquire(2)?.release(after: .milliseconds(5))
        #expect(gate.tryAcquire(2, requireFast: true) != nil)
    }
}

extension EndpointGate.Permit: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.webhookID == b.webhookID }
}
