import Foundation
import Histogram
import Synchronization
import WebhookCore

/// Batches of ~1 KiB events posted to ingest by concurrent clients: accepted events per second and
/// the latency of each request (sent → 202, which means every event of it was confirmed).
enum IngestBenchmark {
    static func run(platform: PlatformClient, events: Int, batch: Int, concurrency: Int, size: Int) async throws -> ScenarioResult {
        let tenant = EventFactory.newTenant()
        let requests = (events + batch - 1) / batch
        // Bodies built up front: the clock measures ingest, not the generator.
        let bodies: [[UInt8]] = (0..<min(requests, 64)).map { r in
            EventFactory.batch((0..<batch).map { EventFactory.event(type: "bench.ingest", tenant: tenant, index: r * batch + $0, size: size) })
        }
        let next = TicketCounter()
        let started = ContinuousClock.now
        let histograms = try await withThrowingTaskGroup(of: (Histogram<UInt64>, Int).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var histogram = durationHistogram()
                    var refused = 0
                    while case let r = next.take(), r < requests {
                        let begin = ContinuousClock.now
                        let status = try await platform.postEvents(bodies[r % bodies.count])
                        _ = histogram.record((ContinuousClock.now - begin).nanoseconds)
                        if status != 202 { refused += 1 }
                    }
                    return (histogram, refused)
                }
            }
            var all: [(Histogram<UInt64>, Int)] = []
            for try await part in group { all.append(part) }
            return all
        }
        let elapsed = ContinuousClock.now - started
        var merged = durationHistogram()
        var refused = 0
        for (histogram, count) in histograms {
            merged.add(histogram)
            refused += count
        }
        let accepted = (requests - refused) * batch
        return ScenarioResult(
            scenario: "ingest: \(requests) requests × \(batch) events of \(size) B, \(concurrency) clients",
            rate: Double(accepted) / elapsed.seconds, rateUnit: "events/s", latency: Latency(merged),
            figures: ["requests refused": Double(refused), "events accepted": Double(accepted), "seconds": elapsed.seconds],
            notes: ["latency is per request (\(batch) events): sent → 202 after every broker confirm"])
    }
}

/// A shared ticket counter for work distribution between tasks.
final class TicketCounter: Sendable {
    private let value = Mutex<Int>(0)
    func take() -> Int {
        value.withLock { v in
            defer { v += 1 }
            return v
        }
    }
}
