import DeliveryApp
import Foundation
import Histogram
import Patterns
import WebhookCore

/// The hot pure paths, timed call by call: matching one event against many `resource_key_pattern`s,
/// canonical JSON of a 1 KiB event, and the Standard Webhooks signature.
enum MicroBenchmarks {
    /// Matching one event against `patterns` webhooks of the same type, each with its own pattern:
    /// through the subscription index (one RE2::Set pass), and, as the baseline it replaces, one
    /// full match per pattern.
    static func matching(patterns count: Int, iterations: Int) -> [ScenarioResult] {
        let webhooks = (1...count).map { i in
            Webhook(
                id: Int64(i), tenantId: 1, url: "https://example.com/\(i)", secret: "s", events: ["NODE_CREATED"],
                resourceKeyPattern: "/project-\(i)/repo-[a-z0-9-]+/.*\\.(jar|pom)")
        }
        let built = ContinuousClock.now
        let index = SubscriptionIndex(webhooks: webhooks)
        let buildTime = ContinuousClock.now - built
        let events = (0..<64).map { n in
            Event(
                id: "e\(n)", type: "NODE_CREATED", occurredAt: Date(), tenantId: 1,
                resourceKey: n % 2 == 0 ? "/project-\(n * 97 % count + 1)/repo-main/lib/app-\(n).jar" : "/elsewhere/\(n)/file.txt")
        }
        var histogram = durationHistogram()
        var matched = 0
        let clock = ContinuousClock()
        let started = clock.now
        for n in 0..<iterations {
            let begin = clock.now
            matched += index.match(events[n & 63]).count
            _ = histogram.record((clock.now - begin).nanoseconds)
        }
        let total = clock.now - started
        let setResult = ScenarioResult(
            scenario: "match: 1 event against \(count) patterns (subscription index, RE2::Set)",
            rate: Double(iterations) / total.seconds, rateUnit: "events/s", latency: Latency(histogram),
            figures: ["index build (ms)": buildTime.seconds * 1000, "webhooks matched per event (mean)": Double(matched) / Double(iterations)])

        // Baseline: the same patterns tested one by one (what a loop over per-webhook regexes does).
        let singles = webhooks.map { PatternSet([$0.resourceKeyPattern!]) }
        var baseline = durationHistogram()
        let rounds = max(1, iterations / 100)
        let baselineStart = clock.now
        for n in 0..<rounds {
            let key = events[n & 63].resourceKey!
            let begin = clock.now
            var hits = 0
            for single in singles where single.matches(key)?.isEmpty == false { hits += 1 }
            _ = baseline.record((clock.now - begin).nanoseconds)
            matched &+= hits
        }
        let baselineTotal = clock.now - baselineStart
        let loopResult = ScenarioResult(
            scenario: "match baseline: the same \(count) patterns tested one by one",
            rate: Double(rounds) / baselineTotal.seconds, rateUnit: "events/s", latency: Latency(baseline),
            figures: ["slower than the index (p50 ratio)": Latency(baseline).p50Ms / max(Latency(histogram).p50Ms, 1e-9)])
        return [setResult, loopResult]
    }

    /// Matching one event through the subscription index when `count` webhooks carry payload filters
    /// (the `filters` scenario's four shapes): spread over 100 types as in that scenario (the
    /// event's type has `count / 100`), all on the event's type, where every filter is evaluated,
    /// and all on other types but ten — the cost follows the webhooks of the event's type, not all
    /// that are indexed — and all on the event's type, each an equality on an account of its own:
    /// keyed filters, looked up by the event's value.
    static func filterMatching(webhooks count: Int, iterations: Int) -> [ScenarioResult] {
        func webhook(_ i: Int, type: String) -> Webhook {
            Webhook(
                id: Int64(i + 1), tenantId: 1, url: "https://example.com/\(i)", secret: "s", events: [type],
                filter: EndToEndScenarios.filter(i))
        }
        let events = (0..<64).map { n in
            let k = (n &* 7919) % count
            return Event(
                id: "e\(n)", type: "bench.filter", occurredAt: Date(), tenantId: 1,
                data: .object(EndToEndScenarios.filteredData(k) + [("n", .int(n))]))
        }
        func run(_ index: SubscriptionIndex, _ label: String, events: [Event] = events) -> ScenarioResult {
            var histogram = durationHistogram()
            var matched = 0
            let clock = ContinuousClock()
            let started = clock.now
            for n in 0..<iterations {
                let begin = clock.now
                matched += index.match(events[n & 63]).count
                _ = histogram.record((clock.now - begin).nanoseconds)
            }
            let total = clock.now - started
            return ScenarioResult(
                scenario: label, rate: Double(iterations) / total.seconds, rateUnit: "events/s", latency: Latency(histogram),
                figures: ["webhooks matched per event (mean)": Double(matched) / Double(iterations)])
        }
        let spread = SubscriptionIndex(webhooks: (0..<count).map { webhook($0, type: EndToEndScenarios.filterType($0)) })
        let spreadEvents = (0..<64).map { n in
            let k = (n &* 7919) % count
            return Event(
                id: "s\(n)", type: EndToEndScenarios.filterType(k), occurredAt: Date(), tenantId: 1,
                data: .object(EndToEndScenarios.filteredData(k) + [("n", .int(n))]))
        }
        let sameType = SubscriptionIndex(webhooks: (0..<count).map { webhook($0, type: "bench.filter") })
        let otherTypes = SubscriptionIndex(
            webhooks: (0..<count).map { webhook($0, type: $0 < 10 ? "bench.filter" : "bench.other-\($0 % 100)") })
        // Every filter an equality on its own account (the first of the four shapes): all keyed.
        let keyed = SubscriptionIndex(
            webhooks: (0..<count).map { i in
                Webhook(
                    id: Int64(i + 1), tenantId: 1, url: "https://example.com/\(i)", secret: "s", events: ["bench.filter"],
                    filter: .object([("data.owner", .string("acct-\(i)"))]))
            })
        return [
            run(
                spread,
                "match: 1 event, \(count) filtered webhooks on \(EndToEndScenarios.filterTypes) types (\(count / EndToEndScenarios.filterTypes) on its type)",
                events: spreadEvents),
            run(sameType, "match: 1 event against \(count) payload filters on its type (subscription index)"),
            run(otherTypes, "match: 1 event, \(count) filtered webhooks of which 10 on its type"),
            run(keyed, "match: 1 event against \(count) equality filters on its type (keyed by value)"),
        ]
    }

    /// Canonical JSON and signing of a 1 KiB event body.
    static func encoding(iterations: Int) -> [ScenarioResult] {
        let event = Event(
            id: "evt_bench", type: "job.failed", occurredAt: Date(), tenantId: 7, associationType: .project,
            associationId: "proj-1", resourceKey: "/proj-1/jobs/42",
            data: .object([
                ("job_id", .string("job-42")), ("log", .string(String(repeating: "x", count: 700))),
                ("attempt", .int(3)), ("labels", .array([.string("a"), .string("ünïcode")])),
            ]))
        let value = try! JSONParser.parse(event.messageBody)
        var canonical = durationHistogram()
        var bytes = 0
        for _ in 0..<iterations {
            let begin = ContinuousClock.now
            bytes = CanonicalJSON.encode(value).count
            _ = canonical.record((ContinuousClock.now - begin).nanoseconds)
        }
        let body = CanonicalJSON.encode(value)
        var signing = durationHistogram()
        let secret = WebhookSigner.generateSecret()
        for n in 0..<iterations {
            let begin = ContinuousClock.now
            _ = WebhookSigner.standardSignatureHeader(secrets: [secret], messageID: "msg_\(n)", timestamp: 1_700_000_000, body: body)
            _ = signing.record((ContinuousClock.now - begin).nanoseconds)
        }
        let webhook = Webhook(id: 1, tenantId: 7, url: "https://example.com/hook", secret: secret, events: ["job.failed"])
        var request = durationHistogram()
        for n in 0..<iterations {
            let begin = ContinuousClock.now
            _ = WebhookRequest.make(webhook: webhook, event: event, messageID: "msg_\(n)", timestamp: 1_700_000_000)
            _ = request.record((ContinuousClock.now - begin).nanoseconds)
        }
        return [
            ScenarioResult(
                scenario: "signed request (body, signatures, headers) for a 1 KiB event", rate: 1e9 / Latency(request).meanMs / 1e6,
                rateUnit: "requests/s", latency: Latency(request)),
            ScenarioResult(
                scenario: "canonical JSON of a \(bytes)-byte event", rate: 1e9 / Latency(canonical).meanMs / 1e6,
                rateUnit: "encodings/s", latency: Latency(canonical)),
            ScenarioResult(
                scenario: "Standard Webhooks signature of a \(body.count)-byte body", rate: 1e9 / Latency(signing).meanMs / 1e6,
                rateUnit: "signatures/s", latency: Latency(signing)),
        ]
    }
}
