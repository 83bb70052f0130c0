import Messaging
import Storage
import WebhookCore

extension FanoutConsumer {
    /// A batch message (one ingest request): its events are claimed and looked up together (one
    /// read for the message), then every event goes through `fanOut` as if it had come alone, at
    /// most the budget's limit in work at once; an event that does not decode is dead-lettered
    /// alone, a second copy of an event in work (in this message or another) is a duplicate. The
    /// message is acknowledged once every event's effects and every dead letter are committed; if
    /// any is not, the whole message goes back to the queue, and its redelivery skips what was done
    /// (stored events are recognised by tenant and id).
    func processBatch(_ delivery: AMQPDelivery) async {
        let declared = delivery.message.headers[WebhookTopology.eventCountHeader].flatMap { Int($0) }
        let decoded = await deadLetter.decode(delivery) { body throws(EventValidationError) in
            try EventBatch.decode(body, expectedCount: declared)
        }
        guard let items = decoded else { return }
        let batchID = delivery.message.messageID ?? ""
        var claimed: [Event] = []
        claimed.reserveCapacity(items.count)
        for item in items {
            guard case .success(let event) = item.event else { continue }
            if claims.claim(event.key) {
                claimed.append(event)
            } else {
                ignoreDuplicate(event)
            }
        }
        let found: [StoredEvent]
        do {
            found = try await lookups.submit(contentsOf: claimed.map { EventLookup(key: $0.key, redelivered: delivery.redelivered) })
        } catch {
            for event in claimed { claims.release(event.key) }
            return await handBack(delivery, batchID: batchID, events: items.count, failure: error)
        }
        // Every event runs to its end even when another fails: cancelling a sibling could cut a
        // first attempt short. The first failure decides the message's fate once all are done.
        let failure = await withTaskGroup(of: (any Error)?.self) { group in
            for item in items {
                if case .failure(let error) = item.event {
                    group.addTask { await Self.failure { try await deadLetter.send(item, of: delivery, reason: error.description) } }
                }
            }
            for (event, stored) in zip(claimed, found) {
                await budget.acquire()
                group.addTask {
                    defer {
                        claims.release(event.key)
                        budget.release()
                    }
                    return await Self.failure { try await fanOut(event, found: stored) }
                }
            }
            var first: (any Error)?
            for await outcome in group where first == nil { first = outcome }
            return first
        }
        if let failure {
            return await handBack(delivery, batchID: batchID, events: items.count, failure: failure)
        }
        connection.ack(delivery)
        logger.debug("batch fanned out", metadata: ["message_id": "\(batchID)", "events": "\(items.count)"])
    }

    /// Not all committed: hands the batch back after a pause; its redelivery resumes.
    private func handBack(_ delivery: AMQPDelivery, batchID: String, events: Int, failure: any Error) async {
        logger.error(
            "batch processing failed; returning it to the queue",
            metadata: ["message_id": "\(batchID)", "events": "\(events)", "error": "\(failure)"])
        try? await Task.sleep(for: .seconds(1))
        connection.reject(delivery, requeue: true)
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
