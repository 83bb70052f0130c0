import Foundation
import Messaging
import Storage
import WebhookCore

extension FanoutConsumer {
    /// How long a first attempt waits for its endpoint to finish a request in flight before the task
    /// goes through `webhooks.deliver` instead.
    static let permitPatience: Duration = .seconds(1)

    /// Fans `event` out: looks it up (read only), makes the first attempts, then writes the event,
    /// its tasks in their state after those attempts and the attempts in one statement shared with
    /// the other events in work (one commit); hand-offs and retries are published after that commit.
    /// Returns once all of it is done. A duplicate (its id stored before in its tenant, or in work
    /// here already, and the message not a redelivery) is counted and skipped. A redelivered event
    /// that is stored keeps its tasks: those never attempted are resumed, the others were attempted.
    /// - Throws: when something was not committed; the caller hands the message back, and its
    ///   redelivery makes the uncommitted attempts again (at least once).
    func fanOut(_ event: Event, redelivered: Bool) async throws {
        let key = event.key
        guard claims.claim(key) else { return ignoreDuplicate(event) }
        defer { claims.release(key) }
        let found = try await lookups.submit(EventLookup(key: key, redelivered: redelivered))
        try await fanOut(event, found: found)
    }

    /// Fans `event` out once it is claimed (the caller releases the claim afterwards) and `found`
    /// tells what the database held of it; as `fanOut(_:redelivered:)` from there on.
    func fanOut(_ event: Event, found: StoredEvent) async throws {
        var stored: [DeliveryTask] = []
        switch found {
        case .duplicate: return ignoreDuplicate(event)
        case .absent: break
        case .redelivered(let tasks): stored = tasks
        }
        let index = cache.current
        let matched = index.match(event) { _ in metrics.patternFallbackMatch() }
        let known = Set(stored.map(\.webhookId))
        let fresh = matched.filter { !known.contains($0.id) }
        let resumed = stored.filter { $0.status == .pending && $0.attempts == 0 }
        // The outgoing body depends on the event alone: made once for all its webhooks.
        let body = fresh.count + resumed.count > 1 ? WebhookRequest.body(for: event) : nil
        if stored.isEmpty || !fresh.isEmpty {
            let attempts = await firstAttempts(fresh, of: event, body: body)
            let written = try await writer.submit(FanoutRecord(event: event, tasks: attempts))
            try await settle(attempts, written: written)
        }
        if !resumed.isEmpty {
            // Claimed first: a task handed to `webhooks.deliver` by the earlier try may be attempted
            // there already, or yet; the claim leaves each task to exactly one of the two.
            let claimed = try await store.claimForResume(resumed)
            let mine = resumed.compactMap { task -> DeliveryTask? in
                guard let version = claimed[task.id] else { return nil }
                var claimedTask = task
                claimedTask.scheduleVersion = version
                return claimedTask
            }
            if !mine.isEmpty { try await resume(mine, of: event, index: index, body: body) }
        }
        metrics.fannedOut(tasks: fresh.count + resumed.count)
        logger.debug("event fanned out", metadata: ["event_id": "\(event.id)", "type": "\(event.type)", "tasks": "\(fresh.count + resumed.count)"])
    }

    func ignoreDuplicate(_ event: Event) {
        metrics.duplicate()
        logger.info(
            "duplicate event ignored: its id was stored before in its tenant",
            metadata: ["event_id": "\(event.id)", "tenant_id": "\(event.tenantId.map(String.init) ?? "none")", "type": "\(event.type)"])
    }
}
