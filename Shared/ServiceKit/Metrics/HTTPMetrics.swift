import Prometheus

/// Request counts and durations of a service's HTTP API, labelled by method and status code only
/// (never by path, which would carry ids and grow without bound).
public struct HTTPMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let duration: DurationHistogram

    /// Registers the metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        duration = registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "webhooks", metricName: "http_request_duration", unitName: "seconds",
                helpText: "Time from a request's arrival to its response."),
            labels: [], buckets: MetricBuckets.requestLatency)
    }

    /// Counts one answered request.
    func record(method: String, status: Int, elapsed: Duration) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", metricName: "http_requests", unitName: "total",
                helpText: "HTTP requests answered, by method and status code."),
            labels: [("method", method), ("status", String(status))]
        ).increment()
        duration.record(elapsed)
    }
}

/// Histogram buckets shared by the services.
public enum MetricBuckets {
    /// From 1 ms to 30 s: local API calls, broker confirms and webhook POSTs all fit.
    public static let requestLatency: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        .seconds(10), .seconds(30),
    ]
}
