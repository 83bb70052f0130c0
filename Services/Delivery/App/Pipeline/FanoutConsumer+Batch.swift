import Messaging
import WebhookCore

extension FanoutConsumer {
    /// A batch message (one ingest request): every event goes through `fanOut` as if it had come
    /// alone, at most the budget's limit in work at once; an event that does not decode is
    /// dead-lettered alone. The message is acknowledged once every event's effects and every dead
    /// letter are committed; if any is not, the whole message goes back to the queue, and its
    /// redelivery skips what was done (stored events are recognised by tenant and id).
    func processBatch(_ delivery: AMQPDelivery) async {
        let declared = delivery.message.headers[WebhookTopology.eventCountHeader].flatMap { Int($0) }
        let decoded = await deadLetter.decode(delivery) { body throws(EventValidationError) in
            try EventBatch.decode(body, expectedCount: declared)
        }
        guard let items = decoded else { return }
        let batchID = delivery.message.messageID ?? ""
        // Every event runs to its end even when another fails: cancelling a sibling could cut a
        // first attempt short. The first failure decides the message's fate once all are done.
        let failure = await withTaskGroup(of: (any Error)?.self) { group in
            for item in items {
                switch item.event {
                case .failure(let error):
                    group.addTask { await Self.failure { try await deadLetter.send(item, of: delivery, reason: error.description) } }
                case .success(let event):
                    await budget.acquire()
                    group.addTask {
                        defer { budget.release() }
                        return await Self.failure { try await fanOut(event, redelivered: delivery.redelivered) }
                    }
                }
            }
            var first: (any Error)?
            for await outcome in group where first == nil { first = outcome }
            return first
        }
        if let failure {
            // Not all committed: hand the batch back after a pause; its redelivery resumes.
            logger.error(
                "batch processing failed; returning it to the queue",
                metadata: ["message_id": "\(batchID)", "events": "\(items.count)", "error": "\(failure)"])
            try? await Task.sleep(for: .seconds(1))
            connection.reject(delivery, requeue: true)
            return
        }
        connection.ack(delivery)
        logger.debug("batch fanned out", metadata: ["message_id": "\(batchID)", "events": "\(items.count)"])
    }

    /// The error `work` throws, if any.
    private static func failure(_ work: () async throws -> Void) async -> (any Error)? {
        do {
            try await work()
            return nil
        } catch {
            return error
        }
    }
}
