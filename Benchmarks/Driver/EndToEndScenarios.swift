import Foundation
import WebhookCore

/// The end-to-end scenarios' set-ups: each creates its webhooks (in a tenant of its own, so earlier
/// scenarios' webhooks never match) and returns the plan `EndToEndBenchmark` runs.
struct EndToEndScenarios: Sendable {
    let platform: PlatformClient
    let receiver: BenchReceiver
    let events: Int
    let batch: Int
    let concurrency: Int
    let size: Int

    /// Subscriptions loaded by every replica before a scenario starts.
    private func subscriptions() async throws -> [String: Double] {
        try await FanoutBenchmark.indexCounts(platform)
    }

    /// Deletes the slow scenario's slow webhook and waits until no replica matches it any more.
    func removeSlow(_ id: Int64) async throws {
        let before = try await subscriptions()
        try await platform.deleteWebhook(id)
        try await FanoutBenchmark.waitForIndex(platform, baseline: before, change: -1)
    }

    /// One webhook, every event for it; `prefix` names the scenario (`delivery`, `replicas`).
    func oneWebhook(prefix: String = "delivery", label: String = "") async throws -> EndToEndPlan {
        let tenant = EventFactory.newTenant(), type = "bench.delivery", size = self.size
        let before = try await subscriptions()
        let webhook = try await platform.createWebhook(url: receiver.url(0), events: [type], tenant: tenant)
        try await FanoutBenchmark.waitForIndex(platform, baseline: before, change: 1)
        return EndToEndPlan(
            scenario: "\(prefix): \(label)1 webhook × \(events) events of \(size) B (ingest batches of \(batch), \(concurrency) clients)",
            events: events, batch: batch, concurrency: concurrency,
            event: { EventFactory.event(type: type, tenant: tenant, index: $0, size: size) },
            measured: [webhook], deliveries: events)
    }

    /// `count` webhooks, each with its own `resource_key_pattern` (four shapes in turn); each event's
    /// resource key matches exactly one of them, spread over all.
    func patterns(count: Int) async throws -> EndToEndPlan {
        let tenant = EventFactory.newTenant(), type = "bench.pattern", size = self.size
        let before = try await subscriptions()
        let receiver = self.receiver, platform = self.platform
        let ids = try await platform.createWebhooks(count) { i in
            try await platform.createWebhook(url: receiver.url(i), events: [type], tenant: tenant, pattern: Self.pattern(i))
        }
        try await FanoutBenchmark.waitForIndex(platform, baseline: before, change: Double(count))
        return EndToEndPlan(
            scenario: "patterns: \(count) webhooks with resource_key_patterns × \(events) events of \(size) B (each matches 1)",
            events: events, batch: batch, concurrency: concurrency,
            event: { n in EventFactory.event(type: type, tenant: tenant, index: n, size: size, resourceKey: Self.resourceKey(n, of: count)) },
            measured: ids, deliveries: events)
    }

    static func pattern(_ i: Int) -> String {
        switch i % 4 {
        case 0: "^acct-\(i)/job-[0-9]+$"
        case 1: "^acct-\(i)/(build|deploy)/.+$"
        case 2: "^acct-\(i)/env-[a-z0-9-]+$"
        default: "^acct-\(i)/.*$"
        }
    }

    /// The resource key of event `n`: it matches webhook `(n × 7919) mod count` only.
    static func resourceKey(_ n: Int, of count: Int) -> String {
        let k = (n &* 7919) % count
        switch k % 4 {
        case 0: return "acct-\(k)/job-\(n)"
        case 1: return "acct-\(k)/deploy/\(n)"
        case 2: return "acct-\(k)/env-e\(n)"
        default: return "acct-\(k)/any/\(n)"
        }
    }

    /// `count` webhooks, each with its own payload `filter` (four shapes in turn: equality, `$in`
    /// with a second field, a numeric range, `$or` with a `$regex`), spread over `filterTypes` event
    /// types; each event's `data` holds exactly one webhook's, spread over all, so every event is
    /// checked against the filters of its type's `count / filterTypes` webhooks. Beside `patterns`.
    func filters(count: Int) async throws -> EndToEndPlan {
        let tenant = EventFactory.newTenant(), size = self.size
        let before = try await subscriptions()
        let receiver = self.receiver, platform = self.platform
        let ids = try await platform.createWebhooks(count) { i in
            try await platform.createWebhook(url: receiver.url(i), events: [Self.filterType(i)], tenant: tenant, filter: Self.filter(i))
        }
        try await FanoutBenchmark.waitForIndex(platform, baseline: before, change: Double(count))
        return EndToEndPlan(
            scenario:
                "filters: \(count) webhooks with payload filters on \(Self.filterTypes) types × \(events) events of \(size) B (each matches 1 of \(count / Self.filterTypes))",
            events: events, batch: batch, concurrency: concurrency,
            event: { n in
                let k = (n &* 7919) % count
                return EventFactory.event(type: Self.filterType(k), tenant: tenant, index: n, size: size, extra: Self.filteredData(k))
            },
            measured: ids, deliveries: events)
    }

    /// Event types the `filters` scenario spreads its webhooks over.
    static let filterTypes = 100

    /// Webhook `i`'s event type in the `filters` scenario.
    static func filterType(_ i: Int) -> String { "bench.filter.\(i % filterTypes)" }

    /// Webhook `i`'s filter; only `filteredData(i)` satisfies it among the events' data.
    static func filter(_ i: Int) -> JSONValue {
        switch i % 4 {
        case 0: return .object([("data.owner", .string("acct-\(i)"))])
        case 1:
            return .object([
                ("data.owner", .object([("$in", .array([.string("acct-\(i)"), .string("none-\(i)")]))])), ("data.phase", .string("build")),
            ])
        case 2: return .object([("data.seq", .object([("$gte", .int(i * 1000)), ("$lt", .int(i * 1000 + 1000))]))])
        default:
            return .object([
                ("$or", .array([.object([("data.owner", .string("acct-\(i)"))]), .object([("data.tags", .string("never-\(i)"))])])),
                ("data.region", .object([("$regex", .string("^eu-"))])),
            ])
        }
    }

    /// The `data` fields of an event meant for webhook `k` alone. Their names sort after `n`, which
    /// the receiver finds first in the canonical (sorted) body to time the delivery.
    static func filteredData(_ k: Int) -> [(key: String, value: JSONValue)] {
        [
            ("owner", .string("acct-\(k)")), ("phase", .string("build")), ("seq", .int(k * 1000 + 1)), ("region", .string("eu-west-1")),
            ("tags", .array([.string("a"), .string("b")])),
        ]
    }

    /// A fast webhook and a slow one (answers after the receiver's delay) on every event; only the
    /// fast deliveries are measured. Returns the slow webhook too, to delete afterwards.
    func slowNeighbour() async throws -> (plan: EndToEndPlan, slow: Int64) {
        let tenant = EventFactory.newTenant(), type = "bench.slow", size = self.size
        let before = try await subscriptions()
        let fast = try await platform.createWebhook(url: receiver.url(0), events: [type], tenant: tenant)
        let slow = try await platform.createWebhook(url: receiver.slowURL(0), events: [type], tenant: tenant)
        try await FanoutBenchmark.waitForIndex(platform, baseline: before, change: 2)
        let plan = EndToEndPlan(
            scenario: "slow neighbour: 1 fast webhook measured, 1 answering after \(receiver.slowDelay) on the same \(events) events",
            events: events, batch: batch, concurrency: concurrency,
            event: { EventFactory.event(type: type, tenant: tenant, index: $0, size: size) },
            measured: [fast], deliveries: events)
        return (plan, slow)
    }
}

/// A second delivery replica the benchmark starts itself, on its own port.
struct DeliveryReplica {
    let pid: pid_t
    let url: String

    static func start(binary: String, port: Int, platform: PlatformClient) async throws -> DeliveryReplica {
        var environment = ProcessInfo.processInfo.environment
        environment["DELIVERY_PORT"] = "\(port)"
        environment["DELIVERY_ALLOW_PRIVATE_NETWORKS"] = environment["DELIVERY_ALLOW_PRIVATE_NETWORKS"] ?? "true"
        // The malloc the first replica runs with (bench.sh exports deploy/local/allocator.sh's choice).
        if let preload = environment["SERVICE_PRELOAD"], !preload.isEmpty { environment["LD_PRELOAD"] = preload }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-bench-delivery-\(port).log").path
        let pid = try Command.spawn(binary, [], environment: environment, output: log)
        let url = "http://127.0.0.1:\(port)"
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            if let ready = try? await platform.call("GET", url + "/readyz"), ready.status == 200 { break }
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                throw BenchError.failed("the second delivery replica did not get ready (log: \(log))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return DeliveryReplica(pid: pid, url: url)
    }

    /// Stops the replica gracefully (it finishes what it holds) and waits for it.
    func stop() async {
        kill(pid, SIGTERM)
        _ = await Command.wait(pid)
    }
}
