import Messaging
import ServiceLifecycle
import Storage
import WebhookCore

extension FanoutConsumer {
    /// A batch message (one ingest request): waits for its bytes in `batchBytes`, then its events
    /// are claimed and looked up together (one read for the message), and every event goes through
    /// `fanOut` as if it had come alone, each taking its turn in the event budget; an event that
    /// does not decode is dead-lettered alone, a second copy of an event in work (in this message
    /// or another) is a duplicate. The message is acknowledged once every event's effects and every
    /// dead letter are committed; if any is not, the whole message goes back to the queue, and its
    /// redelivery skips what was done (stored events are recognised by tenant and id, and their
    /// tasks not yet attempted are claimed and resumed). On graceful shutdown no further event of
    /// the batch is started: those started finish, and the message goes back for the rest.
    func processBatch(_ delivery: AMQPDelivery) async {
        let held = await batchBytes.acquire(delivery.message.body.count)
        defer { batchBytes.release(held) }
        let batchID = delivery.message.messageID ?? ""
        if Task.isShuttingDownGracefully {
            return handBackAtShutdown(delivery, batchID: batchID, started: 0, of: nil)
        }
        let declared = delivery.message.headers[WebhookTopology.eventCountHeader].flatMap { Int($0) }
        let decoded = await deadLetter.decode(delivery) { body throws(EventValidationError) in
            try EventBatch.decode(body, expectedCount: declared)
        }
        guard let items = decoded else { return }
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
        let acceptedAt = DeliveryMetrics.waitingSince(delivery, header: WebhookTopology.acceptedAtHeader)
        // Every event started runs to its end even when another fails: cancelling a sibling could
        // cut a first attempt short. The first failure decides the message's fate once all are done.
        let (failure, started) = await withTaskGroup(of: (any Error)?.self) { group in
            for item in items {
                if case .failure(let error) = item.event {
                    group.addTask { await Self.failure { try await deadLetter.send(item, of: delivery, reason: error.description) } }
                }
            }
            var started = 0
            for (event, stored) in zip(claimed, found) {
                guard await startEvent() else { break }
                started += 1
                if let acceptedAt { metrics.queueLag(stage: .fanout, since: acceptedAt) }
                group.addTask {
                    defer {
                        claims.release(event.key)
                        budget.release()
                    }
                    return await Self.failure { try await fanOut(event, found: stored) }
                }
            }
            for event in claimed[started...] { claims.release(event.key) }
            var first: (any Error)?
            for await outcome in group where first == nil { first = outcome }
            return (first, started)
        }
        if let failure {
            return await handBack(delivery, batchID: batchID, events: items.count, failure: failure)
        }
        if started < claimed.count {
            return handBackAtShutdown(delivery, batchID: batchID, started: started, of: claimed.count)
        }
        connection.ack(delivery)
        logger.debug("batch fanned out", metadata: ["message_id": "\(batchID)", "events": "\(items.count)"])
    }

    /// Takes an event unit, unless the service is shutting down (before or while waiting for it).
    /// - Returns: whether the event may start (it then holds a unit).
    private func startEvent() async -> Bool {
        guard !Task.isShuttingDownGracefully else { return false }
        await budget.acquire()
        guard !Task.isShuttingDownGracefully else {
            budget.release()
            return false
        }
        return true
    }

    /// Not all committed: hands the batch back after a pause; its redelivery resumes.
    private func handBack(_ delivery: AMQPDelivery, batchID: String, events: Int, failure: any Error) async {
        logger.error(
            "batch processing failed; returning it to the queue",
            metadata: ["message_id": "\(batchID)", "events": "\(events)", "error": "\(failure)"])
        try? await Task.sleep(for: .seconds(1))
        connection.reject(delivery, requeue: true)
    }

    /// Shutting down with events of the batch not started: the message goes back at once; its
    /// redelivery (to this replica after a restart, or another) skips the events committed here.
    private func handBackAtShutdown(_ delivery: AMQPDelivery, batchID: String, started: Int, of total: Int?) {
        logger.info(
            "shutting down: batch returned to the queue for its events not started",
            metadata: ["message_id": "\(batchID)", "started": "\(started)", "events": "\(total.map(String.init) ?? "not decoded")"])
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
