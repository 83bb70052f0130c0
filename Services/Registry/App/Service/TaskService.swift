import Foundation
import Logging
import Messaging
import ServiceKit
import Storage
import WebhookCore

/// Delivery tasks for the registry: listing, manual retry (by task or by attempt) and bulk recovery.
/// A retry sets the task to `retry`, due now, then hands it to delivery through `webhooks.tasks`.
struct TaskService: Sendable {
    let tasks: any TaskRepository
    let queue: TaskQueue
    let logger: Logger

    /// Most tasks one recovery request re-enqueues.
    static let maximumRecover = 1000

    func list(_ filter: TaskFilter, page: Int, pageSize: Int) async throws -> (items: [TaskRecord], total: Int) {
        try await storeCall { try await tasks.list(filter, page: page, pageSize: pageSize) }
    }

    func get(_ id: Int64, _ identity: Identity) async throws -> TaskRecord {
        guard let task = try await storeCall({ try await tasks.get(id: id, scope: identity.tenantId) }) else { throw Self.notFound(id) }
        return task
    }

    /// Schedules task `id` now; 404 `E_TASK_NOT_FOUND` when it is not visible to the caller.
    func retry(_ id: Int64, by identity: Identity) async throws -> TaskRecord {
        guard let task = try await storeCall({ try await tasks.scheduleRetry(id: id, scope: identity.tenantId) }) else {
            throw Self.notFound(id)
        }
        try await enqueue([id])
        logger.info("task retry requested", metadata: ["task_id": "\(id)", "by": "\(identity.subject)"])
        return task
    }

    /// Schedules the task of attempt `logId` now; 404 `E_LOG_NOT_FOUND` when the attempt is not
    /// visible, 409 `E_LOG_NOT_RETRYABLE` when it is a test send (it has no task).
    func retryAttempt(_ logId: Int64, by identity: Identity) async throws -> TaskRecord {
        switch try await storeCall({ try await tasks.owner(ofAttempt: logId, scope: identity.tenantId) }) {
        case nil:
            throw APIError.notFound("E_LOG_NOT_FOUND", "log \(logId) does not exist")
        case .testSend:
            throw APIError.conflict(
                "E_LOG_NOT_RETRYABLE",
                "log \(logId) is a test send (\(EventCatalogue.testEventType)): it has no delivery task to retry; send a new test instead")
        case .task(let taskID):
            return try await retry(taskID, by: identity)
        }
    }

    /// Re-enqueues failed tasks created in `[since, until)`; returns their ids.
    func recover(since: Date, until: Date?, webhookId: Int64?, limit: Int, by identity: Identity) async throws -> [Int64] {
        let ids = try await storeCall {
            try await tasks.recoverFailed(scope: identity.tenantId, since: since, until: until, webhookId: webhookId, limit: limit)
        }
        try await enqueue(ids)
        logger.info("failed tasks recovered", metadata: ["count": "\(ids.count)", "by": "\(identity.subject)"])
        return ids
    }

    /// Publishes the tasks; 503 `E_BROKER_UNAVAILABLE` when the broker refuses (the tasks stay
    /// `retry`, due now, so repeating the request is safe).
    private func enqueue(_ ids: [Int64]) async throws {
        let failures = await withTaskGroup(of: AMQPError?.self) { group in
            for id in ids {
                group.addTask {
                    do throws(AMQPError) {
                        try await queue.enqueue(taskID: id)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var failures: [AMQPError] = []
            for await case let failure? in group { failures.append(failure) }
            return failures
        }
        if let first = failures.first {
            logger.warning("could not enqueue tasks", metadata: ["failed": "\(failures.count)", "error": "\(first)"])
            throw APIError.brokerUnavailable("the task is marked for retry but the message broker is unavailable (\(first.code.rawValue)); try again shortly")
        }
    }

    static func notFound(_ id: Int64) -> APIError { .notFound("E_TASK_NOT_FOUND", "task \(id) does not exist") }
}

extension TaskService {
    /// Event `id` with its tasks and their attempts, as `identity` may see it: a tenant sees its own
    /// events only; an operator names a tenant with `tenantId`, or sees the tenant-less events
    /// without one. 404 `E_NOT_FOUND` when it is not visible.
    func event(_ id: String, tenantId: Int64?, _ identity: Identity) async throws -> EventDetail {
        let eventScope: Int64
        if let own = identity.tenantId {
            if let tenantId, tenantId != own { throw Self.eventNotFound(id) }
            eventScope = own
        } else {
            eventScope = tenantId ?? -1
        }
        guard let detail = try await storeCall({ try await tasks.event(id: id, eventScope: eventScope, scope: identity.tenantId) }) else {
            throw Self.eventNotFound(id)
        }
        return detail
    }

    /// A page of the events of one tenant scope: a tenant's own (another tenant's `tenantId` is
    /// refused), an operator's of `tenantId`, or tenant-less events without one.
    func events(_ filter: EventListQuery, tenantId: Int64?, _ identity: Identity, page: Int, pageSize: Int) async throws -> (
        items: [EventRecord], total: Int
    ) {
        let eventScope = try WebhookService.readTenant(for: identity, requested: tenantId) ?? identity.tenantId ?? -1
        let selection = EventListFilter(eventScope: eventScope, type: filter.type, resourceKey: filter.resourceKey, since: filter.since, until: filter.until)
        return try await storeCall { try await tasks.events(selection, page: page, pageSize: pageSize) }
    }

    static func eventNotFound(_ id: String) -> APIError { .notFound("E_NOT_FOUND", "event '\(id)' does not exist") }
}
