import Foundation

/// Events the platform emits about its own endpoints and tasks: published into `webhooks.events`
/// like any other event, with the webhook's tenant, and delivered (signed) to that tenant's
/// endpoints that subscribe to their types. Their ids are derived from what happened, so a repeated
/// emission of the same fact is a duplicate, not a second event.
public enum OperationalEvents {
    /// Delivery disabled an endpoint: it answered 410 Gone, or failed long enough (the failing rule).
    public static let webhookDisabled = "webhook.disabled"
    /// An endpoint was enabled again through the API.
    public static let webhookEnabled = "webhook.enabled"
    /// A task failed for good: its last attempt failed and no retry is left (or the endpoint is gone).
    public static let taskExhausted = "task.exhausted"

    /// Every operational type.
    public static let types: Set<String> = [webhookDisabled, webhookEnabled, taskExhausted]

    /// `webhook.disabled`: `data` holds `webhook_id`, `name`, `url`, `reason`, `disabled_at`.
    public static func disabled(_ webhook: Webhook, reason: String, at time: Date) -> Event {
        Event(
            id: "op_webhook_disabled_\(webhook.id)_\(millis(time))", type: webhookDisabled, occurredAt: time, tenantId: webhook.tenantId,
            resourceKey: "webhook/\(webhook.id)",
            data: .object([
                ("webhook_id", .integer(String(webhook.id))), ("name", .string(webhook.name)), ("url", .string(webhook.url)),
                ("reason", .string(reason)), ("disabled_at", .string(Timestamp.format(time))),
            ]))
    }

    /// `webhook.enabled`: `data` holds `webhook_id`, `name`, `url`, `enabled_by` (who enabled it).
    public static func enabled(_ webhook: Webhook, by subject: String, at time: Date) -> Event {
        Event(
            id: "op_webhook_enabled_\(webhook.id)_\(millis(time))", type: webhookEnabled, occurredAt: time, tenantId: webhook.tenantId,
            resourceKey: "webhook/\(webhook.id)",
            data: .object([
                ("webhook_id", .integer(String(webhook.id))), ("name", .string(webhook.name)), ("url", .string(webhook.url)),
                ("enabled_by", .string(subject)),
            ]))
    }

    /// `task.exhausted` for the task `taskID` of `webhook` after `attempt`, its last: `data` holds
    /// `task_id`, `webhook_id`, `event_id`, `event_type`, `attempts`, `last_status_code` (or null)
    /// and `last_error` (or null). One per task and attempt count: a task retried by hand and failing
    /// again is a new one.
    public static func exhausted(taskID: Int64, webhook: Webhook, attempt: DeliveryAttempt) -> Event {
        Event(
            id: "op_task_exhausted_\(taskID)_\(attempt.attemptNumber)", type: taskExhausted, occurredAt: attempt.createdAt,
            tenantId: webhook.tenantId, resourceKey: "webhook/\(webhook.id)",
            data: .object([
                ("task_id", .integer(String(taskID))), ("webhook_id", .integer(String(webhook.id))), ("event_id", .string(attempt.eventId)),
                ("event_type", .string(attempt.eventType)), ("attempts", .integer(String(attempt.attemptNumber))),
                ("last_status_code", attempt.responseStatus.map { .integer(String($0)) } ?? .null),
                ("last_error", attempt.error.map(JSONValue.string) ?? .null),
            ]))
    }

    /// Whether a task of an event of `type` may emit `task.exhausted`: not for operational events
    /// themselves, so an endpoint that fails them cannot feed itself more of them.
    public static func emitsExhaustion(eventType type: String) -> Bool { !types.contains(type) }

    private static func millis(_ time: Date) -> Int64 { Int64((time.timeIntervalSince1970 * 1000).rounded()) }
}
