import Foundation
import Histogram
import PostgresNIO
import Synchronization
import WebhookCore

/// One webhook × many events, end to end: events posted to ingest in batches, each delivered to a
/// loopback receiver and its attempt committed. Deliveries per second over the whole run, and the
/// latency of each event from the moment its batch was sent to ingest to the moment the receiver
/// got its POST.
enum DeliveryBenchmark {
    static func run(platform: PlatformClient, database: PostgresClient, receiver: BenchReceiver,
                    events: Int, batch: Int, concurrency: Int, size: Int) async throws -> ScenarioResult {
        let tenant = Int64.random(in: 1_000_000...9_000_000_000)
        let type = "bench.delivery"
        let before = try await platform.metric(platform.deliveryURL, "webhooks_delivery_subscriptions") ?? 0
        let webhook = try await platform.createWebhook(url: receiver.url(0), events: [type], tenant: tenant)
        try await FanoutBenchmark.waitForIndex(platform, atLeast: before + 1)
        try await FanoutBenchmark.waitUntilIdle(platform)
        receiver.log.reset()

        let requests = (events + batch - 1) / batch
        let sentAt = SendTimes(count: requests)
        let next = TicketCounter()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while case let r = next.take(), r < requests {
                        let count = min(batch, events - r * batch)
                        let body = EventFactory.batch((0..<count).map {
                            EventFactory.event(type: type, tenant: tenant, index: r * batch + $0, size: size)
                        })
                        let now = ContinuousClock.now
                        sentAt.set(r, now)
                        guard try await platform.postEvents(body) == 202 else { throw BenchError.failed("ingest refused a batch") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let arrived = await receiver.log.wait(for: events, timeout: .seconds(600))
        guard arrived >= events else { throw BenchError.failed("only \(arrived) of \(events) deliveries arrived") }
        var committed = 0
        while committed < events {
            committed = try await attemptCount(database, webhookID: webhook)
            guard ContinuousClock.now - started < .seconds(900) else { throw BenchError.failed("attempts not committed") }
            if committed < events { try await Task.sleep(for: .milliseconds(10)) }
        }
        let finished = ContinuousClock.now

        var histogram = durationHistogram()
        let sends = sentAt.all
        for arrival in receiver.log.tagged {
            guard let n = arrival.tag, n / batch < sends.count, let sent = sends[n / batch] else { continue }
            _ = histogram.record((arrival.instant - sent).nanoseconds)
        }
        return ScenarioResult(
            scenario: "delivery: 1 webhook × \(events) events of \(size) B (ingest batches of \(batch), \(concurrency) clients)",
            rate: Double(events) / (finished - started).seconds, rateUnit: "deliveries/s", latency: Latency(histogram),
            figures: ["seconds": (finished - started).seconds, "POSTs received": Double(arrived)],
            notes: ["rate: first batch sent → last attempt committed; latency: batch sent to ingest → POST received"])
    }

    static func attemptCount(_ database: PostgresClient, webhookID: Int64) async throws -> Int {
        let rows = try await database.query("SELECT count(*)::int8 FROM delivery_attempts WHERE webhook_id = \(webhookID) /* bench */")
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }
}

/// When each batch was sent, by batch number.
final class SendTimes: Sendable {
    private let times: Mutex<[ContinuousClock.Instant?]>
    init(count: Int) { times = Mutex(Array(repeating: nil, count: count)) }
    func set(_ index: Int, _ instant: ContinuousClock.Instant) { times.withLock { $0[index] = instant } }
    var all: [ContinuousClock.Instant?] { times.withLock { $0 } }
}
