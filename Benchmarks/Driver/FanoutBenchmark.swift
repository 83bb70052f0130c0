import Foundation
import PostgresNIO
import WebhookCore

/// One event to many endpoints: how long until every endpoint got its POST and every attempt is
/// committed, and how many statements PostgreSQL executed for it (pg_stat_statements), to show the
/// fan-out makes no database round trip per endpoint.
enum FanoutBenchmark {
    static func run(
        platform: PlatformClient, database: PostgresClient, receiver: BenchReceiver, webhooks: Int, rounds: Int,
        watch: ProcessWatch?
    ) async throws -> ScenarioResult {
        let tenant = EventFactory.newTenant()
        let type = "bench.fanout"
        let before = try await indexCounts(platform)
        _ = try await platform.createWebhooks(webhooks) { n in
            try await platform.createWebhook(url: receiver.url(n), events: [type], tenant: tenant)
        }
        try await waitForIndex(platform, baseline: before, change: Double(webhooks))

        var deliveredMs: [Double] = [], committedMs: [Double] = [], statements: [Double] = [], inserted: [Double] = []
        // Peak RSS over the rounds: every endpoint's request is in flight at once in each.
        watch?.resetPeaks()
        let cpuBefore = watch?.read()
        for round in 0..<rounds {
            try await waitUntilIdle(platform)
            receiver.log.reset()
            let eventID = "evt_fanout_\(UUID().uuidString.lowercased().prefix(8))_\(round)"
            let statementsBefore = try await statementCount(database)
            let body = CanonicalJSON.encode(
                .array([
                    .object([
                        ("id", .string(eventID)), ("type", .string(type)), ("tenant_id", .int(tenant)),
                        ("data", .object([("round", .int(round))])),
                    ])
                ]))
            let started = ContinuousClock.now
            guard try await platform.postEvents(body) == 202 else { throw BenchError.failed("ingest refused the fan-out event") }
            let arrived = await receiver.log.wait(for: webhooks, timeout: .seconds(120))
            guard arrived == webhooks else { throw BenchError.failed("only \(arrived) of \(webhooks) endpoints got the event") }
            let lastArrival = receiver.log.all.max()!
            deliveredMs.append((lastArrival - started).seconds * 1000)
            while try await attemptCount(database, eventID: eventID) < webhooks {
                guard ContinuousClock.now - started < .seconds(120) else { throw BenchError.failed("attempts of \(eventID) not committed") }
                try await Task.sleep(for: .milliseconds(5))
            }
            committedMs.append((ContinuousClock.now - started).seconds * 1000)
            let statementsAfter = try await statementCount(database)
            statements.append(Double(statementsAfter.calls - statementsBefore.calls))
            inserted.append(Double(statementsAfter.rows - statementsBefore.rows))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        var figures = [
            "all POSTs received (ms)": median(deliveredMs),
            "all attempts committed (ms)": median(committedMs),
            "SQL statements per event": median(statements),
            "SQL statements per endpoint": median(statements) / Double(webhooks),
            "rows returned or changed per event": median(inserted),
        ]
        if let watch, let cpuBefore {
            for (key, value) in watch.figures(since: cpuBefore, rate: nil) where key.hasPrefix("peak RSS") { figures[key] = value }
        }
        return ScenarioResult(
            scenario: "fan-out: 1 event → \(webhooks) webhooks (median of \(rounds))",
            rate: Double(webhooks) / (median(committedMs) / 1000), rateUnit: "deliveries/s",
            figures: figures,
            notes: ["statements: every statement PostgreSQL executed during the round (pg_stat_statements), the benchmark's own polling excluded"])
    }

    /// Subscriptions each delivery replica has loaded, by URL.
    static func indexCounts(_ platform: PlatformClient) async throws -> [String: Double] {
        var counts: [String: Double] = [:]
        for url in platform.deliveryURLs { counts[url] = try await platform.metric(url, "webhooks_delivery_subscriptions") ?? 0 }
        return counts
    }

    /// Waits until every replica's subscription count moved by `change` from `baseline` (webhooks
    /// created, or deleted when negative).
    static func waitForIndex(_ platform: PlatformClient, baseline: [String: Double], change: Double) async throws {
        // Every change was committed before now: an index synced past it holds them all, patterns
        // compiled (the count alone already includes webhooks whose new patterns are still compiling).
        let changedBy = Date().timeIntervalSince1970
        let deadline = ContinuousClock.now + .seconds(120)
        for (url, before) in baseline {
            while true {
                let now = try await platform.metric(url, "webhooks_delivery_subscriptions") ?? 0
                let synced = try await platform.metric(url, "webhooks_delivery_subscriptions_synced_timestamp_seconds") ?? 0
                if (change >= 0 ? now >= before + change : now <= before + change) && synced >= changedBy { break }
                guard ContinuousClock.now < deadline else { throw BenchError.failed("\(url) did not load the \(Int(change)) changed subscriptions") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Waits until delivery has fanned out every event ingest accepted (an earlier scenario may have
    /// left a backlog), so a round measures its own event only.
    static func waitUntilIdle(_ platform: PlatformClient) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while true {
            let accepted = try await platform.metric(platform.ingestURL, "webhooks_ingest_events_accepted_total") ?? 0
            let done =
                try await platform.deliveryMetric("webhooks_delivery_events_fanned_out_total")
                + (try await platform.deliveryMetric("webhooks_delivery_duplicate_events_total"))
            if done >= accepted { return }
            guard ContinuousClock.now < deadline else { throw BenchError.failed("delivery did not catch up with ingest (\(Int(done)) of \(Int(accepted)))") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    static func attemptCount(_ database: PostgresClient, eventID: String) async throws -> Int {
        let rows = try await database.query("SELECT count(*)::int8 FROM delivery_attempts WHERE event_id = \(eventID) /* bench */")
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// Statements executed and rows they touched, over all statements but the benchmark's own.
    static func statementCount(_ database: PostgresClient) async throws -> (calls: Int64, rows: Int64) {
        let rows = try await database.query(
            """
            SELECT coalesce(sum(calls), 0)::int8, coalesce(sum(rows), 0)::int8 FROM pg_stat_statements
            WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%/* bench */%' /* bench */
            """)
        for try await (calls, touched) in rows.decode((Int64, Int64).self) { return (calls, touched) }
        return (0, 0)
    }
}
