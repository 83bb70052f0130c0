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
