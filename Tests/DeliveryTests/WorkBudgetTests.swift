import Synchronization
import Testing

@testable import DeliveryApp

@Suite("Work budget")
struct WorkBudgetTests {
    /// What the waiting tasks did, in order.
    final class Journal: Sendable {
        private let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    /// Waits until `budget` has `count` requests waiting.
    func waitForWaiters(_ budget: WorkBudget, _ count: Int) async {
        while budget.waiting < count { await Task.yield() }
    }

    @Test func aLargeRequestWaitsForAllItsUnitsAndLaterOnesQueueBehindIt() async {
        let budget = WorkBudget(limit: 10)
        #expect(await budget.acquire(6) == 6)
        let journal = Journal()
        let large = Task {
            await budget.acquire(6)
            journal.add("large")
        }
        await waitForWaiters(budget, 1)
        let small = Task {
            await budget.acquire(1)
            journal.add("small")
        }
        await waitForWaiters(budget, 2)
        #expect(budget.available == 4, "four free, yet the small request waits behind the large one")
        #expect(journal.all.isEmpty)
        budget.release(6)
        await large.value
        await small.value
        #expect(journal.all == ["large", "small"], "first come, first served")
        #expect(budget.available == 3 && budget.waiting == 0)
    }

    @Test func aRequestOverTheLimitTakesTheWholeBudgetAndRunsAlone() async {
        let budget = WorkBudget(limit: 100)
        let taken = await budget.acquire(1_000)
        #expect(taken == 100, "cut to the limit")
        #expect(budget.available == 0)
        let next = Task { await budget.acquire(1) }
        await waitForWaiters(budget, 1)
        budget.release(taken)
        #expect(await next.value == 1)
        #expect(budget.available == 99)
    }

    @Test func unitsPassToWaitersInOrder() async {
        let budget = WorkBudget(limit: 1)
        await budget.acquire()
        let journal = Journal()
        var tasks: [Task<Void, Never>] = []
        for number in 0..<5 {
            tasks.append(
                Task {
                    await budget.acquire()
                    journal.add("\(number)")
                    budget.release()
                })
            await waitForWaiters(budget, number + 1)
        }
        budget.release()
        for task in tasks { await task.value }
        #expect(journal.all == ["0", "1", "2", "3", "4"])
        #expect(budget.available == 1)
    }
}
