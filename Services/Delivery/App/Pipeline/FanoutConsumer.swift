import Foundation
import Logging
import Messaging
import ServiceLifecycle
import Storage
import WebhookCore

/// Stage 1: takes messages off `webhooks.fanout` — single events from direct publishers, batches
/// (one per ingest request) — matches each event against the in-memory subscription index, looks
/// up whether it is stored already (one read shared with the other events in work), makes each
/// task's first attempt itself, then writes the event, its tasks in their state after those
/// attempts and the attempts in one statement (shared with the other events in work: one commit
/// for all). Endpoints that are slow, rate-limited, or stay at their in-flight limit longer than
/// `permitPatience` are not attempted here: their tasks are written pending and go through
/// `webhooks.deliver` after the commit, so they hold nobody up. A message is acknowledged only
/// after, for every event in it, that write is committed and every handed-off task is confirmed by
/// the broker; a message handed back before makes its attempts again. A redelivered message
/// resumes the tasks stored but not yet attempted. At most `budget`'s limit of events, and
/// `batchBytes`' limit of batch message bytes, are in work at once.
struct FanoutConsumer: Service {
    let connection: AMQPConnection
    let lookups: EventLookups
    let writer: FanoutWriter
    /// Claims the tasks a redelivered event resumes (`DeliveryStore.claimForResume`).
    let store: DeliveryStore
    let claims: EventClaims
    let cache: SubscriptionCache
    let gate: EndpointGate
    let dispatcher: Dispatcher
    let finisher: TaskFinisher
    let scheduler: RetryScheduler
    let deadLetter: DeadLetter
    let prefetch: Int
    /// Events in work at once (a unit per event).
    let budget: WorkBudget
    /// Batch message bodies decoded and in work at once (a unit per byte).
    let batchBytes: WorkBudget
    let metrics: DeliveryMetrics
    let logger: Logger

    func run() async throws {
        // Matching against an index that is not loaded yet would drop events: wait for it.
        while !cache.isLoaded && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(50)) }
        }
        await ConsumeLoop.run(connection, queue: WebhookTopology.fanoutQueue, prefetch: prefetch) { await process($0) }
        logger.info("fan-out consumer stopped")
    }

    func process(_ delivery: AMQPDelivery) async {
        if WebhookTopology.isBatch(delivery.message) {
            // Its events' waits are counted one by one as their turns come (`processBatch`).
            await processBatch(delivery)
        } else {
            metrics.queueLag(stage: .fanout, of: delivery, header: WebhookTopology.acceptedAtHeader)
            await processSingle(delivery)
        }
    }

    /// A single-event message (the contract for direct publishers).
    private func processSingle(_ delivery: AMQPDelivery) async {
        guard let event = await deadLetter.decode(delivery, EventMessage.decode) else { return }
        await budget.acquire()
        defer { budget.release() }
        do {
            try await fanOut(event, redelivered: delivery.redelivered)
            connection.ack(delivery)
        } catch {
            // Not committed: hand the event back after a pause; it is redelivered and resumes where
            // this attempt stopped (tasks are unique per event and webhook).
            logger.error("event processing failed; returning it to the queue", metadata: ["event_id": "\(event.id)", "error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            connection.reject(delivery, requeue: true)
        }
    }
}
