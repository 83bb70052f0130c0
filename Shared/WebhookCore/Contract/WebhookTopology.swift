/// The platform's names on the broker (see the README's message contract): the exchanges, queues,
/// routing keys and headers every service agrees on. Messaging declares them (`WebhookTopology.standard`).
public enum WebhookTopology {
    /// Topic exchange upstreams publish events to; routing key = event type.
    public static let eventsExchange = "webhooks.events"
    /// Delivery's fan-out stage consumes this queue, bound `#` to the events exchange.
    public static let fanoutQueue = "webhooks.fanout"
    /// Direct exchange for per-webhook delivery tasks.
    public static let tasksExchange = "webhooks.tasks"
    /// Queue of delivery tasks (retries and manual retries).
    public static let deliverQueue = "webhooks.deliver"
    /// Routing key of task messages.
    public static let deliverRoutingKey = "deliver"
    /// Dead-letter exchange and queue: malformed or poison messages with the reason in a header.
    public static let deadExchange = "webhooks.dead"
    /// Queue holding dead-lettered messages.
    public static let deadQueue = "webhooks.dead"
    /// Header carrying why a message was dead-lettered.
    public static let deadReasonHeader = "x-dead-reason"
    /// Header on event messages from ingest: when it accepted the event (Unix milliseconds), for
    /// delivery's queue-lag metric. Optional for direct publishers.
    public static let acceptedAtHeader = "x-accepted-at"
    /// Routing key of batch messages (ingest's multi-event requests). `@` cannot occur in an event
    /// type, so no binding by event type (`job.failed`, `job.*`) receives batches; `#` does.
    public static let batchRoutingKey = "@batch"
    /// `content_type` of a batch message: its body holds one event message body per line
    /// (`EventBatch`). Delivery tells batches from single events by this property.
    public static let batchContentType = "application/vnd.webhooks.batch+ndjson"
    /// AMQP `type` property of a batch message.
    public static let batchMessageType = "webhooks.batch"
    /// Header on a batch message: how many events its body holds (decimal).
    public static let eventCountHeader = "x-event-count"
    /// Header on a dead letter cut out of a batch: the batch message's `message_id`.
    public static let batchMessageIDHeader = "x-batch-message-id"
    /// Header on a dead letter cut out of a batch: the event's position in the batch (from 0).
    public static let batchIndexHeader = "x-batch-index"
    /// Headers saying where a dead letter was first published.
    public static let originalExchangeHeader = "x-original-exchange"
    public static let originalRoutingKeyHeader = "x-original-routing-key"

    /// Whether a message with this `content_type` is a batch message (parameters ignored).
    public static func isBatch(contentType: String?) -> Bool {
        guard let type = contentType else { return false }
        let bare = type.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return bare.filter { $0 != " " && $0 != "\t" }.lowercased() == batchContentType
    }

    /// Fan-out exchange for "webhook changed" notices (`ControlNotice`).
    public static let controlExchange = "webhooks.control"
    /// After this many deliveries a message is dead-lettered by the broker (poison protection).
    public static let deliveryLimit: Int64 = 20

    /// Backoff tiers: queues whose messages expire after the tier's delay and are dead-lettered back
    /// to `webhooks.tasks` (and so to `webhooks.deliver`). A delay between tiers waits in the largest
    /// tier not longer than it, then hops through smaller ones until due.
    public static let retryTiers: [(name: String, delay: Duration)] = [
        ("1s", .seconds(1)), ("5s", .seconds(5)), ("30s", .seconds(30)), ("5m", .seconds(300)),
        ("30m", .seconds(1800)), ("2h", .seconds(7200)), ("5h", .seconds(18000)), ("10h", .seconds(36000)),
    ]

    /// Name of a retry tier queue.
    public static func retryQueue(_ tier: String) -> String { "webhooks.retry.\(tier)" }

    /// The retry queue to wait in for `delay`: the largest tier not longer than it (the smallest
    /// tier for shorter delays).
    public static func retryQueue(for delay: Duration) -> String {
        let tier = retryTiers.last(where: { $0.delay <= delay }) ?? retryTiers[0]
        return retryQueue(tier.name)
    }
}
