import Foundation
import Logging
import Messaging
import ServiceLifecycle
import Storage
import WebhookCore

/// Delivery's fan-out stage: takes events off `webhooks.fanout`, matches subscriptions, stores the
/// event and one task per matching webhook, makes each task's first attempt, and acknowledges the
/// message only after all of that is committed. A redelivered event resumes the tasks not yet done.
struct FanoutConsumer: Service {
    let connection: AMQPConnection
    let database: Database
    let dispatcher: Dispatcher
    let deadLetter: DeadLetter
    let prefetch: Int
    let logger: Logger

    func run() async throws {
        let deliveries = connection.consume(queue: WebhookTopology.fanoutQueue, prefetch: UInt16(clamping: prefetch))
        await withDiscardingTaskGroup { group in
            for await delivery in deliveries.cancelOnGracefulShutdown() {
                group.addTask { await process(delivery) }
            }
        }
        logger.info("fan-out consumer stopped")
    }

    func process(_ delivery: AMQPDelivery) async {
        let event: Event
        do throws(EventValidationError) {
            event = try EventMessage.decode(delivery.message.body)
        } catch {
            await deadLetter.send(delivery, reason: error.description)
            return
        }
        do {
            let candidates = try await database.webhooks.activeSubscribers(eventType: event.type, tenantId: event.tenantId)
            let matched = candidates.filter { SubscriptionMatcher.matches($0, event, patternMatches: ResourcePattern.fullMatch) }
            let tasks = try await database.deliveries.recordEvent(event, webhookIDs: matched.map(\.id))
            let byID = Dictionary(uniqueKeysWithValues: matched.map { ($0.id, $0) })
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in tasks {
                    guard let webhook = byID[task.webhookId] else { continue }
                    group.addTask { try await dispatcher.attempt(task, webhook: webhook, event: event) }
                }
                try await group.waitForAll()
            }
            connection.ack(delivery)
            logger.debug("event fanned out", metadata: ["event_id": "\(event.id)", "type": "\(event.type)", "tasks": "\(tasks.count)"])
        } catch {
            // Not committed: hand the event back to the broker after a pause; it is redelivered and
            // resumes where this attempt stopped (tasks are unique per event and webhook).
            logger.error("event processing failed; returning it to the queue", metadata: ["event_id": "\(event.id)", "error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            connection.reject(delivery, requeue: true)
        }
    }
}
