import Foundation
import Logging
import Storage

/// `webhooks-bench`: the project's benchmarks. `make bench` starts the system in release mode and
/// runs them all; each scenario can also run alone against a running system:
///
///     webhooks-bench micro | broker | ingest | fanout ... [--option value ...]
let usage = """
    usage: webhooks-bench SCENARIO... [options]
      micro    matching one event against --patterns (10000) resource_key_patterns; canonical JSON; signing
      broker   RabbitMQ's own publish-with-confirms + consume-and-ack rate (--broker-messages 100000, --size 1024)
      ingest   batches of ~--size (1024) byte events to ingest (--events 100000, --batch 100, --concurrency 16)
      fanout   one event to --webhooks (1000; a comma list for several) endpoints, --rounds (5) times
      delivery one webhook × --events (20000) events end to end: deliveries/s and latency
    connection options: --registry URL --ingest URL --delivery URL --database URL --amqp URL
                        --username NAME --password PASSWORD
    output: a table on stdout; --json PATH also writes every result as JSON
    """

func runBenchmarks(_ options: Options) async throws -> [ScenarioResult] {
    var results: [ScenarioResult] = []
    func report(_ new: [ScenarioResult]) {
        for result in new { print(result.text + "\n") }
        results += new
    }
    let scenarios = options.words.isEmpty ? ["micro"] : options.words
    for scenario in scenarios {
        switch scenario {
        case "micro":
            report(MicroBenchmarks.matching(patterns: try options.int("patterns", 10_000), iterations: try options.int("match-iterations", 20_000)))
            report(MicroBenchmarks.encoding(iterations: try options.int("encode-iterations", 50_000)))
        case "broker":
            for quorum in [false, true] {
                report([try await BrokerBenchmark.run(amqpURL: try options.required("amqp"), messages: try options.int("broker-messages", 100_000),
                                                      size: try options.int("size", 1024), quorum: quorum)])
            }
        case "ingest":
            let platform = try await connect(options)
            report([try await IngestBenchmark.run(platform: platform, events: try options.int("events", 100_000), batch: try options.int("batch", 100),
                                                  concurrency: try options.int("concurrency", 16), size: try options.int("size", 1024))])
        case "delivery":
            let platform = try await connect(options)
            let database = try Database(url: try options.required("database"), logger: Logger(label: "bench-db"), maximumConnections: 2)
            let receiver = try await BenchReceiver()
            let client = Task { await database.client.run() }
            defer { client.cancel() }
            do {
                report([try await DeliveryBenchmark.run(platform: platform, database: database.client, receiver: receiver,
                                                        events: try options.int("events", 20_000), batch: try options.int("batch", 100),
                                                        concurrency: try options.int("concurrency", 16), size: try options.int("size", 1024))])
            } catch {
                await receiver.stop()
                throw error
            }
            await receiver.stop()
        case "fanout":
            let platform = try await connect(options)
            let database = try Database(url: try options.required("database"), logger: Logger(label: "bench-db"), maximumConnections: 2)
            let receiver = try await BenchReceiver()
            let client = Task { await database.client.run() }
            do {
                for text in options.string("webhooks", "1000").split(separator: ",") {
                    guard let count = Int(text), count > 0 else { throw BenchError.usage("--webhooks takes whole numbers, not '\(text)'") }
                    report([try await FanoutBenchmark.run(platform: platform, database: database.client, receiver: receiver, webhooks: count,
                                                          rounds: try options.int("rounds", 5))])
                }
            } catch {
                client.cancel()
                await receiver.stop()
                throw error
            }
            client.cancel()
            await receiver.stop()
        default:
            throw BenchError.usage("unknown scenario '\(scenario)'\n\(usage)")
        }
    }
    if let ratios = Ratios.against(results) { report([ratios]) }
    return results
}

/// Our rates as fractions of the broker's own, when both ran in this run.
enum Ratios {
    static func against(_ results: [ScenarioResult]) -> ScenarioResult? {
        guard let broker = results.first(where: { $0.scenario.hasPrefix("broker:") && $0.scenario.contains("quorum") }),
              let together = broker.rate else { return nil }
        var figures: [String: Double] = [:]
        if let delivery = results.first(where: { $0.scenario.hasPrefix("delivery:") })?.rate {
            figures["delivery ÷ broker publish+consume"] = delivery / together
        }
        if let ingest = results.first(where: { $0.scenario.hasPrefix("ingest:") })?.rate,
           let publishAlone = broker.figures["publish with confirms alone (msg/s)"] {
            figures["ingest ÷ broker publish alone"] = ingest / publishAlone
        }
        guard !figures.isEmpty else { return nil }
        return ScenarioResult(scenario: "ratios to the broker's own rates (quorum queue, this run)", figures: figures)
    }
}

func connect(_ options: Options) async throws -> PlatformClient {
    var platform = PlatformClient(registryURL: try options.required("registry"), ingestURL: try options.required("ingest"),
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
