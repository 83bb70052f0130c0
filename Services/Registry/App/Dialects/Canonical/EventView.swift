import Foundation
import Storage
import WebhookCore

/// An event with its tasks and their attempts (`GET /api/v1/events/{event_id}`): whether the event
/// reached every webhook it was meant for.
struct EventView: Encodable {
    let event: EventFields
    let tasks: [EventTaskView]
    let attempts: [EventAttemptView]

    init(_ d: EventDetail) {
        event = EventFields(d.event)
        tasks = d.tasks.map(EventTaskView.init)
        attempts = d.attempts.map(EventAttemptView.init)
    }
}

/// The stored event; `data` is its payload as stored.
struct EventFields: ExplicitNulls {
    let id: String
    let type: String
    let tenant_id: Int64?
    let resource_key: String?
    let occurred_at: String
    let received_at: String
    let data: JSONValue

    init(_ e: EventRecord) {
        id = e.id
        type = e.type
        tenant_id = e.tenantId
        resource_key = e.resourceKey
        occurred_at = Timestamp.format(e.occurredAt)
        received_at = Timestamp.format(e.receivedAt)
        // Stored payloads are JSON; one that is not (never written by ingest) is shown as its text.
        data = (try? JSONDecoder().decode(JSONValue.self, from: Data(e.payload.utf8))) ?? .string(e.payload)
    }
}

/// One task of the event: to which webhook, and how it stands.
struct EventTaskView: ExplicitNulls {
    let task_id: Int64
    let webhook_id: Int64
    let webhook_name: String
    let url: String
    let status: String
    let attempts: Int
    let next_try_at: String?
    let last_status_code: Int?

    init(_ t: EventTask) {
        task_id = t.task.id
        webhook_id = t.task.webhookId
        webhook_name = t.webhookName
        url = t.task.url
        status = t.task.status.rawValue
        attempts = t.task.attempts
        next_try_at = t.task.nextTryAt.map(Timestamp.format)
        last_status_code = t.task.lastStatusCode
    }
}

/// One attempt of one of the event's tasks.
struct EventAttemptView: ExplicitNulls {
    let id: Int64
    let task_id: Int64
    let webhook_id: Int64
    let attempt: Int
    let success: Bool
    let response_status: Int?
    let duration_ms: Int
    let created_at: String
    /// Made for a replay or recovery job, and which.
    let replayed: Bool
    let job_id: Int64?

    init(_ a: EventAttempt) {
        id = a.id
        task_id = a.taskId
        webhook_id = a.webhookId
        attempt = a.attemptNumber
        success = a.success
        response_status = a.responseStatus
        duration_ms = a.durationMs
        created_at = Timestamp.format(a.createdAt)
        replayed = a.jobId != nil
        job_id = a.jobId
    }
}
