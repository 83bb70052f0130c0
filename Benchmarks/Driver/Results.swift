import Foundation
import Histogram

/// Latency figures of one scenario, from an HdrHistogram of nanoseconds.
struct Latency: Sendable, Encodable {
    var count: UInt64
    var p50Ms: Double
    var p95Ms: Double
    var p99Ms: Double
    var maxMs: Double
    var meanMs: Double

    init(_ histogram: Histogram<UInt64>) {
        func ms(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e6 }
        count = histogram.totalCount
        p50Ms = ms(histogram.valueAtPercentile(50))
        p95Ms = ms(histogram.valueAtPercentile(95))
        p99Ms = ms(histogram.valueAtPercentile(99))
        maxMs = ms(histogram.max)
        meanMs = histogram.mean / 1e6
    }
}

/// A histogram of durations in nanoseconds, up to one hour.
func durationHistogram() -> Histogram<UInt64> {
    Histogram<UInt64>(highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
}

extension Duration {
    var nanoseconds: UInt64 {
        UInt64(max(0, components.seconds)) * 1_000_000_000 + UInt64(max(0, components.attoseconds) / 1_000_000_000)
    }
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// One measured scenario: a name, a rate, latencies and free-form figures.
struct ScenarioResult: Sendable, Encodable {
    var scenario: String
    var rate: Double?
    var rateUnit: String?
    var latency: Latency?
    var figures: [String: Double]
    var notes: [String]

    init(
        scenario: String, rate: Double? = nil, rateUnit: String? = nil, latency: Latency? = nil,
        figures: [String: Double] = [:], notes: [String] = []
    ) {
        self.scenario = scenario
        self.rate = rate
        self.rateUnit = rateUnit
        self.latency = latency
        self.figures = figures
        self.notes = notes
    }

    /// Lines for the terminal.
    var text: String {
        var lines = ["== \(scenario)"]
        if let rate, let rateUnit { lines.append(String(format: "   rate      %12.1f %@", rate, rateUnit)) }
        if let latency {
            lines.append(
                String(
                    format: "   latency   p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms  (n=%llu)",
                    latency.p50Ms, latency.p95Ms, latency.p99Ms, latency.maxMs, latency.count))
        }
        for key in figures.keys.sorted() {
            lines.append(String(format: "   %@ %@", key.padding(toLength: 44, withPad: " ", startingAt: 0), Self.format(figures[key]!)))
        }
        for note in notes { lines.append("   note: \(note)") }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.4f", value)
    }
}

/// Writes every result of a run as one JSON document.
func writeJSON(_ results: [ScenarioResult], to path: String) throws {
    struct Run: Encodable {
        let startedAt: String
        let host: String
        let cores: Int
        let results: [ScenarioResult]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let run = Run(
        startedAt: ISO8601DateFormatter().string(from: Date()), host: ProcessInfo.processInfo.hostName,
        cores: ProcessInfo.processInfo.activeProcessorCount, results: results)
    try encoder.encode(run).write(to: URL(fileURLWithPath: path))
}
