import Benchmark
import DeliveryApp
import Foundation
import Patterns
import WebhookCore

/// `webhooks-micro`: the hot pure paths of delivery under google/swift-benchmark, which repeats each
/// until its timing is stable and prints median, standard deviation and iterations:
///
///     make bench-micro                       # or: swift run -c release webhooks-micro
///     swift run -c release webhooks-micro --filter match --min-time 2

/// Keeps a result alive so the optimizer cannot drop the work that made it.
@inline(never) @_optimize(none)
func keep<T>(_ value: T) {}

/// A 1 KiB event as the delivery stage sees it.
let event = Event(
    id: "evt_micro", type: "job.failed", occurredAt: Date(timeIntervalSince1970: 1_790_000_000), tenantId: 7, associationType: .project,
    associationId: "proj-1", resourceKey: "/project-42/repo-main/lib/app.jar",
    data: .object([
        ("job_id", .string("job-42")), ("log", .string(String(repeating: "x", count: 700))),
        ("attempt", .int(3)), ("labels", .array([.string("a"), .string("ünïcode")])),
    ]))
let message = event.messageBody
let parsed = try! JSONParser.parse(message)
let secret = WebhookSigner.generateSecret()
let webhook = Webhook(id: 1, tenantId: 7, url: "https://example.com/hook", secret: secret, events: ["job.failed"])

/// 10,000 webhooks of one type, each with its own resource_key_pattern.
let patternWebhooks = (1...10_000).map { i in
    Webhook(
        id: Int64(i), tenantId: 7, url: "https://example.com/\(i)", secret: "s", events: ["job.failed"],
        resourceKeyPattern: "/project-\(i)/repo-[a-z0-9-]+/.*\\.(jar|pom)")
}
let index = SubscriptionIndex(webhooks: patternWebhooks)

let json = BenchmarkSuite(name: "json") { suite in
    suite.benchmark("decode event message (1 KiB)") { keep(try EventMessage.decode(message)) }
    suite.benchmark("canonical JSON (1 KiB)") { keep(CanonicalJSON.encode(parsed)) }
    suite.benchmark("timestamp RFC 3339") { keep(Timestamp.format(event.occurredAt)) }
}

let signing = BenchmarkSuite(name: "signing") { suite in
    let body = CanonicalJSON.encode(parsed)
    suite.benchmark("signature (Standard Webhooks, 1 KiB)") {
        keep(WebhookSigner.standardSignatureHeader(secrets: [secret], messageID: "msg_1", timestamp: 1_700_000_000, body: body))
    }
    suite.benchmark("signed request (body, signatures, headers)") {
        keep(WebhookRequest.make(webhook: webhook, event: event, messageID: "msg_1", timestamp: 1_700_000_000))
    }
}

let matching = BenchmarkSuite(name: "match") { suite in
    suite.benchmark("1 event against 10,000 patterns (index)") { keep(index.match(event)) }
    let miss = Event(id: "evt_miss", type: "job.failed", occurredAt: event.occurredAt, tenantId: 7, resourceKey: "/elsewhere/file.txt")
    suite.benchmark("1 event matching none of 10,000 patterns") { keep(index.match(miss)) }
}

let filters = BenchmarkSuite(name: "filter") { suite in
    let simple = try! PayloadFilter.compile(
        JSONParser.parse(#"{"type": "job.failed", "data.attempt": {"$gte": 3}, "data.labels": "a"}"#))
    suite.benchmark("payload filter: 3 conditions, all hold") { keep(simple.matches(event)) }
    let regexDocument = try! JSONParser.parse(
        #"{"$or": [{"tenant_id": {"$in": [1, 2, 3]}}, {"resource_key": {"$regex": "\\.jar$"}}], "data.labels": {"$nin": ["x", "y"]}}"#)
    let withRegex = try! PayloadFilter.compile(regexDocument)
    suite.benchmark("payload filter: $or, $in, $regex, $nin") { keep(withRegex.matches(event)) }
    suite.benchmark("payload filter: compile (with a regex)") { keep(try PayloadFilter.compile(regexDocument)) }
}

Benchmark.main([json, signing, matching, filters])
