import Foundation
import Histogram
import Messaging
import PostgresNIO
import Synchronization
import WebhookCore

/// An end-to-end scenario: what each event looks like and which deliveries are measured.
struct EndToEndPlan: Sendable {
    var scenario: String
    var events: Int
    var batch: Int
    var concurrency: Int
    /// Event number → the event (its `data.n` must be the number: arrivals are matched by it).
    var event: @Sendable (Int) -> JSONValue
    /// Webhooks whose deliveries are measured (their attempts are counted as committed).
    var measured: [Int64]
    /// Deliveries expected on the measured webhooks (POSTs to the receiver's `/hook/` paths).
    var deliveries: Int
    /// Send events at this rate (batches spaced evenly) instead of as fast as ingest takes them.
    var eventsPerSecond: Double?
    /// Publish each event as its own message straight into `webhooks.events` on this connection (with
    /// confirms, as a direct AMQP publisher does) instead of posting batches to ingest.
    var exchange: AMQPConnection? = nil
}

/// Events posted to ingest in batches, each delivered to the loopback receiver and its attempt
/// committed. The rate runs from the first batch sent to the last measured attempt committed; the
/// latency of a delivery runs from the moment its event's batch was sent to ingest to the moment the
/// receiver got the POST.
enum EndToEndBenchmark {
    static func run(
        _ plan: EndToEndPlan, platform: PlatformClient, database: PostgresClient, receiver: BenchReceiver,
        watch: ProcessWatch?
    ) async throws -> ScenarioResult {
        try await FanoutBenchmark.waitUntilIdle(platform)
        receiver.log.reset()
        watch?.resetPeaks()
        let cpuBefore = watch?.read()
        let statementsBefore = try? await StatementProfile.snapshot(database)
        let requests = (plan.events + plan.batch - 1) / plan.batch
        let sentAt = SendTimes(count: requests)
        let next = TicketCounter()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<plan.concurrency {
                group.addTask {
                    while case let r = next.take(), r < requests {
                        if let rate = plan.eventsPerSecond {
                            // Batch r leaves at r × batch / rate seconds after the start.
                            let due = started + .seconds(Double(r * plan.batch) / rate)
                            if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
                        }
                        let count = min(plan.batch, plan.events - r * plan.batch)
                        if let exchange = plan.exchange {
                            sentAt.set(r, ContinuousClock.now)
                            for i in 0..<count { try await publishDirect(plan.event(r * plan.batch + i), number: r * plan.batch + i, on: exchange) }
                            continue
                        }
                        let body = EventFactory.batch((0..<count).map { plan.event(r * plan.batch + $0) })
                        sentAt.set(r, ContinuousClock.now)
                        guard try await platform.postEvents(body) == 202 else { throw BenchError.failed("ingest refused a batch") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let arrived = await receiver.log.wait(for: plan.deliveries, timeout: .seconds(900))
        guard arrived >= plan.deliveries else { throw BenchError.failed("only \(arrived) of \(plan.deliveries) deliveries arrived") }
        var committed = 0
        while committed < plan.deliveries {
            committed = try await attemptCount(database, webhooks: plan.measured)
            guard ContinuousClock.now - started < .seconds(1200) else { throw BenchError.failed("attempts not committed") }
            if committed < plan.deliveries { try await Task.sleep(for: .milliseconds(10)) }
        }
        let seconds = (ContinuousClock.now - started).seconds
        let rate = Double(plan.deliveries) / seconds

        var histogram = durationHistogram()
        let sends = sentAt.all
        for arrival in receiver.log.tagged {
            guard let n = arrival.tag, n / plan.batch < sends.count, let sent = sends[n / plan.batch] else { continue }
            _ = histogram.record((arrival.instant - sent).nanoseconds)
        }
        var figures: [String: Double] = ["seconds": seconds, "POSTs received": Double(arrived)]
        var profile: [String] = []
        if let statementsBefore, let after = try? await StatementProfile.snapshot(database) {
            profile = after.top(4, since: statementsBefore, units: plan.deliveries)
        }
        if let watch, let cpuBefore { figures.merge(watch.figures(since: cpuBefore, rate: rate)) { a, _ in a } }
        return ScenarioResult(
            scenario: plan.scenario, rate: rate, rateUnit: "deliveries/s", latency: Latency(histogram), figures: figures,
            notes: [
                plan.exchange == nil
                    ? "rate: first batch sent → last attempt committed; latency: batch sent to ingest → POST received"
                    : "rate: first message published → last attempt committed; latency: message published → POST received"
            ]
                + (watch == nil ? [] : ["cpu: cores each part used during the run; µs per unit: its CPU per delivery"]) + profile)
    }

    /// One event as a direct AMQP publisher sends it (README, "RabbitMQ contract"): its JSON with an
    /// id of its own, routing key and `type` = its event type, `message_id` = its id, persistent,
    /// answered once the broker confirmed it.
    static func publishDirect(_ event: JSONValue, number: Int, on connection: AMQPConnection) async throws {
        guard case .object(let members) = event, case .string(let type)? = members.first(where: { $0.key == "type" })?.value else {
            throw BenchError.failed("an event without a type")
        }
        let id = "direct-\(number)-\(UInt32.random(in: 0...UInt32.max))"
        let body = CanonicalJSON.encode(.object([("id", .string(id))] + members))
        try await connection.publish(
            exchange: WebhookTopology.eventsExchange, routingKey: type, message: AMQPMessage(body: body, messageID: id, type: type))
    }

    static func attemptCount(_ database: PostgresClient, webhooks: [Int64]) async throws -> Int {
        let rows = try await database.query("SELECT count(*)::int8 FROM delivery_attempts WHERE webhook_id = ANY(\(webhooks)) /* bench */")
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
