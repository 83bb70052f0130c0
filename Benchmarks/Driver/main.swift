import Foundation
import Logging
import Messaging
import Storage

/// `webhooks-bench`: the project's benchmarks. `make bench` starts the system in release mode and
/// runs them all; each scenario can also run alone against a running system:
///
///     webhooks-bench micro | broker | ingest | fanout ... [--option value ...]
let usage = """
    usage: webhooks-bench SCENARIO... [options]
      micro    matching one event against --patterns (10000) resource_key_patterns; canonical JSON; signing
      broker   RabbitMQ's own publish-with-confirms + consume-and-ack rate (--broker-messages 100000, --size 1024)
      http     wrk POSTing --size byte bodies to the benchmark's receiver (--wrk-seconds 10, --wrk-connections 64)
      storage  delivery's batch statements alone: --storage-events (20000) events and their attempts in
               batches of --storage-batch (100), no service in between (PostgreSQL's CPU per delivery)
      retention --retention-rows (3000000) attempts over --retention-days (40) days, keeping --retention-keep (30):
               deleting rows (the unpartitioned table of before) and dropping daily partitions, on the same rows
      ingest   batches of ~--size (1024) byte events to ingest (--events 100000, --batch 100, --concurrency 16)
      fanout   one event to --webhooks (1000; a comma list for several) endpoints, --rounds (5) times
      delivery one webhook × --events (20000) events end to end: deliveries/s and latency
      direct   the same, each event published as its own message straight into webhooks.events (with
               confirms, --direct-publishers (256) at once) as direct AMQP publishers do, no ingest
      patterns --pattern-webhooks (10000) webhooks with resource_key_patterns, --events events matching one each
      filters  --filter-webhooks (10000) webhooks with payload filters (four shapes) over 100 types, --events events matching one each
      paced    one webhook, --paced-events (10000) events in batches of --paced-batch (10) sent at --rate per
               second (default: half the rate the delivery scenario reached before it in the same run)
      slow     a fast and a slow webhook (answers after --slow-seconds, 2) on --slow-events (5000) events
      replicas delivery with a second delivery replica started from --delivery-binary PATH
    connection options: --registry URL --ingest URL --delivery URL --database URL --amqp URL
                        --username NAME --password PASSWORD
    measuring: --pids name=pid,... adds the CPU and peak RSS of those processes (and their children)
    output: a table on stdout; --json PATH also writes every result as JSON
    """

func runBenchmarks(_ options: Options) async throws -> [ScenarioResult] {
    var results: [ScenarioResult] = []
    func report(_ new: [ScenarioResult]) {
        // Written at once (not buffered like `print`), so a run to a file shows each result when measured.
        for result in new { FileHandle.standardOutput.write(Data((result.text + "\n\n").utf8)) }
        results += new
    }
    let scenarios = options.words.isEmpty ? ["micro"] : options.words
    // The benchmark process itself (load generator and receiver) is watched too.
    let watch = try options.values("pids").map { list throws(BenchError) in try ProcessWatch(list + ",bench=\(getpid())") }
    // The parts of the system the scenarios share, made on first use.
    var platform: PlatformClient?
    var database: Database?
    var databaseRun: Task<Void, Never>?
    var receiver: BenchReceiver?
    func system() async throws -> (PlatformClient, Database, BenchReceiver) {
        if platform == nil { platform = try await connect(options) }
        if database == nil {
            let made = try Database(url: try options.required("database"), logger: Logger(label: "bench-db"), maximumConnections: 2)
            databaseRun = Task { await made.client.run() }
            database = made
        }
        if receiver == nil { receiver = try await BenchReceiver(slowDelay: .seconds(try options.int("slow-seconds", 2))) }
        return (platform!, database!, receiver!)
    }
    func endToEnd(_ platform: PlatformClient, _ receiver: BenchReceiver, events: Int) throws(BenchError) -> EndToEndScenarios {
        EndToEndScenarios(
            platform: platform, receiver: receiver, events: events, batch: try options.int("batch", 100),
            concurrency: try options.int("concurrency", 16), size: try options.int("size", 1024))
    }
    defer { databaseRun?.cancel() }

    do {
        for scenario in scenarios {
            switch scenario {
            case "micro":
                report(MicroBenchmarks.matching(patterns: try options.int("patterns", 10_000), iterations: try options.int("match-iterations", 20_000)))
                report(
                    MicroBenchmarks.filterMatching(
                        webhooks: try options.int("filter-webhooks", 10_000), iterations: try options.int("match-iterations", 20_000) / 10))
                report(MicroBenchmarks.encoding(iterations: try options.int("encode-iterations", 50_000)))
            case "broker":
                for quorum in [false, true] {
                    report([
                        try await BrokerBenchmark.run(
                            amqpURL: try options.required("amqp"), messages: try options.int("broker-messages", 100_000),
                            size: try options.int("size", 1024), quorum: quorum, watch: watch)
                    ])
                }
            case "http":
                let (_, _, receiver) = try await system()
                report([
                    try await WrkBaseline.run(
                        receiver: receiver, seconds: try options.int("wrk-seconds", 10),
                        connections: try options.int("wrk-connections", 64), size: try options.int("size", 1024),
                        watch: watch)
                ])
            case "storage":
                let (platform, _, receiver) = try await system()
                report([
                    try await StorageFloorBenchmark.run(
                        platform: platform, databaseURL: try options.required("database"), receiver: receiver,
                        events: try options.int("storage-events", 20_000), batch: try options.int("storage-batch", 100),
                        size: try options.int("size", 1024), watch: watch)
                ])
            case "retention":
                report(
                    try await RetentionBenchmark.run(
                        databaseURL: try options.required("database"), rows: try options.int("retention-rows", 3_000_000),
                        days: try options.int("retention-days", 40), keepDays: try options.int("retention-keep", 30), watch: watch))
            case "ingest":
                let platform = try await connect(options)
                report([
                    try await IngestBenchmark.run(
                        platform: platform, events: try options.int("events", 100_000), batch: try options.int("batch", 100),
                        concurrency: try options.int("concurrency", 16), size: try options.int("size", 1024))
                ])
            case "fanout":
                let (platform, database, receiver) = try await system()
                for text in options.string("webhooks", "1000").split(separator: ",") {
                    guard let count = Int(text), count > 0 else { throw BenchError.usage("--webhooks takes whole numbers, not '\(text)'") }
                    report([
                        try await FanoutBenchmark.run(
                            platform: platform, database: database.client, receiver: receiver, webhooks: count,
                            rounds: try options.int("rounds", 5), watch: watch)
                    ])
                }
            case "delivery":
                let (platform, database, receiver) = try await system()
                let plan = try await endToEnd(platform, receiver, events: try options.int("events", 20_000)).oneWebhook()
                report([try await EndToEndBenchmark.run(plan, platform: platform, database: database.client, receiver: receiver, watch: watch)])
            case "direct":
                let (platform, database, receiver) = try await system()
                var logger = Logger(label: "bench-direct")
                logger.logLevel = .warning
                let connection = AMQPConnection(
                    configuration: try AMQPConfiguration(url: try options.required("amqp")), topology: AMQPTopology(), logger: logger)
                connection.start()
                guard await connection.waitUntilConnected(timeout: .seconds(20)) else {
                    await connection.close()
                    throw BenchError.failed("the broker is not reachable")
                }
                var plan = try await endToEnd(platform, receiver, events: try options.int("events", 20_000)).oneWebhook(prefix: "direct")
                let publishers = try options.int("direct-publishers", 256)
                plan.scenario = "direct: 1 webhook × \(plan.events) events, each its own message into webhooks.events (\(publishers) publishers, confirms)"
                plan.batch = 1
                plan.concurrency = publishers
                plan.exchange = connection
                let result = try await EndToEndBenchmark.run(plan, platform: platform, database: database.client, receiver: receiver, watch: watch)
                await connection.close()
                report([result])
            case "paced":
                // Latency below saturation: events at --rate per second, by default half of the rate
                // the `delivery` scenario reached earlier in this run.
                let (platform, database, receiver) = try await system()
                let peak = results.last(where: { $0.scenario.hasPrefix("delivery:") })?.rate
                guard let rate = options.values("rate").flatMap(Double.init) ?? peak.map({ $0 / 2 }), rate > 0 else {
                    throw BenchError.usage("paced needs --rate N, or the delivery scenario earlier in the same run")
                }
                var plan = try await endToEnd(platform, receiver, events: try options.int("paced-events", 10_000)).oneWebhook(prefix: "paced")
                plan.batch = try options.int("paced-batch", 10)
                plan.scenario =
                    "paced: 1 webhook, \(plan.events) events at \(Int(rate))/s\(peak == nil ? "" : " (half the delivery rate)") in batches of \(plan.batch)"
                plan.eventsPerSecond = rate
                report([try await EndToEndBenchmark.run(plan, platform: platform, database: database.client, receiver: receiver, watch: watch)])
            case "patterns":
                let (platform, database, receiver) = try await system()
                let plan = try await endToEnd(platform, receiver, events: try options.int("events", 20_000))
                    .patterns(count: try options.int("pattern-webhooks", 10_000))
                report([try await EndToEndBenchmark.run(plan, platform: platform, database: database.client, receiver: receiver, watch: watch)])
            case "filters":
                let (platform, database, receiver) = try await system()
                let plan = try await endToEnd(platform, receiver, events: try options.int("events", 20_000))
                    .filters(count: try options.int("filter-webhooks", 10_000))
                report([try await EndToEndBenchmark.run(plan, platform: platform, database: database.client, receiver: receiver, watch: watch)])
            case "slow":
                let (platform, database, receiver) = try await system()
                let setup = try endToEnd(platform, receiver, events: try options.int("slow-events", 5_000))
                let (plan, slow) = try await setup.slowNeighbour()
                var result = try await EndToEndBenchmark.run(plan, platform: platform, database: database.client, receiver: receiver, watch: watch)
                result.figures["slow POSTs answered meanwhile"] = Double(receiver.slowLog.count)
                // Its queued tasks are cancelled with it, so later scenarios start clean.
                try await setup.removeSlow(slow)
                report([result])
            case "replicas":
                var (platform, database, receiver) = try await system()
                let events = try options.int("events", 20_000)
                let one = try await endToEnd(platform, receiver, events: events).oneWebhook(prefix: "replicas", label: "1 delivery replica, ")
                report([try await EndToEndBenchmark.run(one, platform: platform, database: database.client, receiver: receiver, watch: watch)])
                let port = try options.int("replica-port", 18083)
                let replica = try await DeliveryReplica.start(binary: try options.required("delivery-binary"), port: port, platform: platform)
                platform.extraDeliveryURLs = [replica.url]
                let watchBoth = try watch.map { w throws(BenchError) in try ProcessWatch(w.list + ",delivery-2=\(replica.pid)") }
                do {
                    let two = try await endToEnd(platform, receiver, events: events).oneWebhook(prefix: "replicas", label: "2 delivery replicas, ")
                    report([try await EndToEndBenchmark.run(two, platform: platform, database: database.client, receiver: receiver, watch: watchBoth)])
                } catch {
                    await replica.stop()
                    throw error
                }
                await replica.stop()
            default:
                throw BenchError.usage("unknown scenario '\(scenario)'\n\(usage)")
            }
        }
    } catch {
        await receiver?.stop()
        throw error
    }
    await receiver?.stop()
    if let ratios = Ratios.against(results) { report([ratios]) }
    return results
}

/// Our rates as fractions of the machine's own limits measured in the same run: the broker's
/// publish+consume rate (quorum queue) and the bare POST rate of wrk on the same receiver.
enum Ratios {
    static let endToEnd = ["delivery:", "direct:", "patterns:", "filters:", "slow neighbour:", "replicas:"]  // `paced` runs below the limit

    static func against(_ results: [ScenarioResult]) -> ScenarioResult? {
        let broker = results.first(where: { $0.scenario.hasPrefix("broker:") && $0.scenario.contains("quorum") })
        let http = results.first(where: { $0.scenario.hasPrefix("receiver:") })?.rate
        var figures: [String: Double] = [:]
        for result in results {
            guard let prefix = endToEnd.first(where: { result.scenario.hasPrefix($0) }), let rate = result.rate else { continue }
            var name = String(prefix.dropLast())
            if prefix == "replicas:" { name += result.scenario.contains("2 delivery replicas") ? " (2)" : " (1)" }
            if let together = broker?.rate { figures["\(name) ÷ broker publish+consume"] = rate / together }
            if let http { figures["\(name) ÷ bare POSTs (wrk)"] = rate / http }
        }
        if let ingest = results.first(where: { $0.scenario.hasPrefix("ingest:") })?.rate,
            let publishAlone = broker?.figures["publish with confirms alone (msg/s)"]
        {
            figures["ingest ÷ broker publish alone"] = ingest / publishAlone
        }
        var notes: [String] = []
        if let ceiling = ceiling(results) {
            figures["ceiling of this design (deliveries/s)"] = ceiling.rounded()
            if let together = broker?.rate { figures["ceiling ÷ broker publish+consume"] = ceiling / together }
            if let delivery = results.first(where: { $0.scenario.hasPrefix("delivery:") })?.rate {
                figures["delivery ÷ ceiling of this design"] = delivery / ceiling
            }
            notes.append(
                "ceiling: cores ÷ (RabbitMQ's CPU per message + PostgreSQL's per delivery in `storage` + the receiver's per POST):"
                    + " the rate if ingest, delivery and the load generator cost nothing")
        }
        guard !figures.isEmpty else { return nil }
        return ScenarioResult(scenario: "ratios to this machine's limits measured in this run", figures: figures, notes: notes)
    }

    /// Deliveries per second the machine could carry if ingest, delivery and the load generator cost
    /// no CPU: every delivery still costs RabbitMQ one message published and consumed (quorum queue,
    /// `broker`), PostgreSQL the data model's rows (`storage`) and the receiver one POST (`http`).
    static func ceiling(_ results: [ScenarioResult]) -> Double? {
        let unit = "(µs per unit)"
        guard
            let broker = results.first(where: { $0.scenario.hasPrefix("broker:") && $0.scenario.contains("quorum") })?
                .figures["cpu rabbitmq \(unit)"],
            let database = results.first(where: { $0.scenario.hasPrefix("storage:") })?.figures["cpu postgres \(unit)"],
            let receiver = results.first(where: { $0.scenario.hasPrefix("receiver:") })?.figures["cpu bench \(unit)"],
            broker + database + receiver > 0
        else { return nil }
        return Double(ProcessInfo.processInfo.activeProcessorCount) * 1e6 / (broker + database + receiver)
    }
}

func connect(_ options: Options) async throws -> PlatformClient {
    var platform = PlatformClient(
        registryURL: try options.required("registry"), ingestURL: try options.required("ingest"),
        deliveryURL: try options.required("delivery"))
    try await platform.login(username: options.string("username", "admin"), password: options.string("password", "admin123"))
    return platform
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    if options.words.contains("help") {
        print(usage)
        exit(0)
    }
    let results = try await runBenchmarks(options)
    if let path = Optional(options.string("json", "")), !path.isEmpty {
        try writeJSON(results, to: path)
        print("results written to \(path)")
    }
} catch {
    FileHandle.standardError.write(Data("webhooks-bench: \(error)\n".utf8))
    exit(1)
}
