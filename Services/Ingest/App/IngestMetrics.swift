import Prometheus
import ServiceKit

/// What ingest counts for `/metrics`: accepted events, rejected requests by error code, events the
/// broker did not confirm, and the publish-to-confirm latency.
struct IngestMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let accepted: Counter
    private let unconfirmed: Counter
    private let publishDuration: DurationHistogram

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        accepted = registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "ingest", metricName: "events_accepted", unitName: "total",
                helpText: "Events confirmed by the broker and answered 202."),
            labels: [])
        unconfirmed = registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "ingest", metricName: "events_unconfirmed", unitName: "total",
                helpText: "Events the broker did not confirm (answered 503; the client retries them)."),
            labels: [])
        publishDuration = registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "webhooks", subsystem: "ingest", metricName: "publish_duration", unitName: "seconds",
                helpText: "Time from publishing a request's events to the broker's confirm of all of them, once per event."),
            labels: [], buckets: MetricBuckets.requestLatency)
    }

    func accepted(_ count: Int) { accepted.increment(by: Int64(count)) }
    func unconfirmed(_ count: Int) { unconfirmed.increment(by: Int64(count)) }
    func published(after duration: Duration) { publishDuration.record(duration) }

    /// A request refused with `code` (e.g. `E_MISSING_FIELD`, `E_BATCH_TOO_LARGE`); the codes are a fixed set.
    func rejected(code: String) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "ingest", metricName: "rejected", unitName: "total",
                helpText: "Requests to POST /api/v1/events refused, by error code."),
            labels: [("code", code)]
        ).increment()
    }
}
