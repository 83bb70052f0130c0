import Foundation
import Messaging
import Outbound
import Prometheus
import ServiceKit

/// What delivery counts for `/metrics`. Labels hold only bounded sets (outcomes, queues, reasons),
/// never webhook ids or URLs.
struct DeliveryMetrics: Sendable {
    /// The attempt outcomes: `success`, `http_error` (a non-2xx answer) or why no answer came
    /// (`OutboundError.Code`, e.g. `timeout`, `address_refused`).
    static let outcomes = ["success", "http_error"] + OutboundError.Code.allCases.map(\.rawValue)

    let registry: PrometheusCollectorRegistry
    private let attempts: [String: Counter]
    private let attemptDuration: DurationHistogram
    private let inFlight: Gauge
    private let fanoutLag: DurationHistogram
    private let taskLag: DurationHistogram
    private let eventsFannedOut: Counter
    private let tasksCreated: Counter
    private let retriesScheduled: Counter
    private let subscriptions: Gauge
    private let subscriptionsSynced: Gauge

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        var attempts: [String: Counter] = [:]
        for outcome in Self.outcomes {
            attempts[outcome] = registry.makeCounter(
                descriptor: .init(
                    namespace: "webhooks", subsystem: "delivery", metricName: "attempts", unitName: "total",
                    helpText: "Delivery attempts by outcome."),
                labels: [("outcome", outcome)])
        }
        self.attempts = attempts
        attemptDuration = registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "attempt_duration", unitName: "seconds",
                helpText: "Time from sending a webhook request to its answer (or failure)."),
            labels: [], buckets: MetricBuckets.requestLatency)
        inFlight = registry.makeGauge(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "in_flight", unitName: "requests",
                helpText: "Webhook requests sent and not yet answered."),
            labels: [])
        let lag = MetricNameDescriptor(
            namespace: "webhooks", subsystem: "delivery", metricName: "queue_lag", unitName: "seconds",
            helpText: "Time a message waited in its queue: since ingest accepted the event (webhooks.fanout), or since the task fell due (webhooks.deliver).")
        fanoutLag = registry.makeDurationHistogram(descriptor: lag, labels: [("queue", "webhooks.fanout")], buckets: Self.lagBuckets)
        taskLag = registry.makeDurationHistogram(descriptor: lag, labels: [("queue", "webhooks.deliver")], buckets: Self.lagBuckets)
        eventsFannedOut = registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "events_fanned_out", unitName: "total",
                helpText: "Events matched, stored with their tasks and acknowledged."),
            labels: [])
        tasksCreated = registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "tasks", unitName: "total",
                helpText: "Tasks (one per event and matching webhook) handled by the fan-out stage."),
            labels: [])
        retriesScheduled = registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "retries_scheduled", unitName: "total",
                helpText: "Failed attempts put into a backoff tier for another try."),
            labels: [])
        subscriptions = registry.makeGauge(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "subscriptions", unitName: "",
                helpText: "Active webhooks in this replica's subscription index."),
            labels: [])
        subscriptionsSynced = registry.makeGauge(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "subscriptions_synced", unitName: "timestamp_seconds",
                helpText: "Every webhook change committed before this time (Unix seconds, this replica's clock) is in its subscription index."),
            labels: [])
    }

    static let lagBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500),
        .seconds(1), .seconds(5), .seconds(30), .seconds(60), .seconds(300), .seconds(1800),
    ]

    /// One attempt: its outcome and duration.
    func attempt(outcome: String, duration: Duration) {
        attempts[outcome]?.increment()
        attemptDuration.record(duration)
    }

    /// Brackets one outgoing request for the in-flight gauge.
    func requestStarted() { inFlight.increment() }
    func requestEnded() { inFlight.decrement() }

    /// The wait of a consumed message, from its Unix-milliseconds `header`; ignored when absent and
    /// for redeliveries (their wait includes a consumer's failure).
    func queueLag(stage: Stage, of delivery: AMQPDelivery, header: String) {
        guard let since = Self.waitingSince(delivery, header: header) else { return }
        queueLag(stage: stage, since: since)
    }

    /// The wait of work that began now and waited since `since` (Unix milliseconds): each event of
    /// a batch message is counted when its turn comes, so events waiting inside a batch count too.
    func queueLag(stage: Stage, since: Int64) {
        let lag = Duration.milliseconds(max(0, Int64(Date().timeIntervalSince1970 * 1000) - since))
        switch stage {
        case .fanout: fanoutLag.record(lag)
        case .deliver: taskLag.record(lag)
        }
    }

    /// A consumed message's Unix-milliseconds `header`, unless absent or the message redelivered.
    static func waitingSince(_ delivery: AMQPDelivery, header: String) -> Int64? {
        guard !delivery.redelivered, let text = delivery.message.headers[header] else { return nil }
        return Int64(text)
    }

    enum Stage { case fanout, deliver }

    /// One event fanned out into `tasks` tasks.
    func fannedOut(tasks: Int) {
        eventsFannedOut.increment()
        tasksCreated.increment(by: Int64(tasks))
    }

    func retryScheduled() { retriesScheduled.increment() }

    /// A queued task put back because its endpoint had as many requests in flight as it may.
    func deferred() {
        registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "tasks_deferred", unitName: "total",
                helpText: "Queued tasks put back because their endpoint was at its in-flight limit."),
            labels: []
        ).increment()
    }

    /// An event message whose id was stored before (a duplicate publish), acknowledged without fan-out.
    func duplicate() {
        registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "duplicate_events", unitName: "total",
                helpText: "Event messages whose id was stored before (duplicate publishes), acknowledged without fan-out."),
            labels: []
        ).increment()
    }

    /// An endpoint switched off by delivery: `gone` (410) or `failing` (the auto-disable rule).
    func autoDisabled(reason: String) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "auto_disabled", unitName: "total",
                helpText: "Endpoints disabled by delivery, by reason: gone (410) or failing (the auto-disable rule)."),
            labels: [("reason", reason.contains("410") ? "gone" : "failing")]
        ).increment()
    }

    /// A message sent to `webhooks.dead`, by the exchange it was published to.
    func deadLettered(exchange: String) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "dead_lettered", unitName: "total",
                helpText: "Messages moved to webhooks.dead, by the exchange they were published to."),
            labels: [("exchange", exchange.isEmpty ? "(default)" : exchange)]
        ).increment()
    }

    /// The subscription index's size and freshness (`SubscriptionCache.syncedThrough`).
    func setSubscriptions(_ count: Int, syncedThrough: Date) {
        subscriptions.set(Double(count))
        subscriptionsSynced.set(syncedThrough.timeIntervalSince1970)
    }

    /// Tenants whose pattern set could not be built and whose patterns are matched one by one.
    func setPatternFallbackTenants(_ count: Int) {
        registry.makeGauge(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "pattern_fallback_tenants", unitName: "",
                helpText: "Tenants whose resource_key_pattern set exceeded its memory budget; their patterns are matched one by one."),
            labels: []
        ).set(Double(count))
    }

    /// An event whose resource key was matched pattern by pattern for one tenant (its set could not
    /// be built, or ran out of memory for the key).
    func patternFallbackMatch() {
        registry.makeCounter(
            descriptor: .init(
                namespace: "webhooks", subsystem: "delivery", metricName: "pattern_fallback_matches", unitName: "total",
                helpText: "Resource keys matched pattern by pattern because a tenant's pattern set was not usable."),
            labels: []
        ).increment()
    }
}
