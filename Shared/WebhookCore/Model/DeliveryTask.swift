import Foundation

/// Where a delivery task stands (the tenant-parameter dialect's task statuses).
public enum TaskStatus: String, Sendable, Codable, CaseIterable {
    case pending
    case retry
    case success
    case failed
    case cancelled
}

/// One (event, webhook) delivery, unique on the pair.
public struct DeliveryTask: Sendable, Equatable {
    public var id: Int64
    public var eventId: String
    /// The event's tenant scope (`EventKey.scope`): with `eventId`, the event's identity.
    public var eventScope: Int64
    public var webhookId: Int64
    public var status: TaskStatus
    /// Attempts made so far.
    public var attempts: Int
    public var nextTryAt: Date?
    public var createdAt: Date
    /// Bumped on every (re)schedule; task messages carry it so stale ones are dropped.
    public var scheduleVersion: Int

    public init(
        id: Int64, eventId: String, eventScope: Int64, webhookId: Int64, status: TaskStatus, attempts: Int, nextTryAt: Date?,
        createdAt: Date, scheduleVersion: Int = 0
    ) {
        self.id = id
        self.eventId = eventId
        self.eventScope = eventScope
        self.webhookId = webhookId
        self.status = status
        self.attempts = attempts
        self.nextTryAt = nextTryAt
        self.createdAt = createdAt
        self.scheduleVersion = scheduleVersion
    }

    /// The identity of the task's event.
    public var eventKey: EventKey { EventKey(scope: eventScope, id: eventId) }

    /// The `webhook-id` header: the event's (`EventKey.messageID`), so the same for every webhook,
    /// retry and redelivery of the event.
    public var messageID: String { eventKey.messageID }
}

/// One HTTP attempt of a task, as recorded (the APIs' "logs"), or one test send of the registry.
public struct DeliveryAttempt: Sendable, Equatable {
    public var id: Int64
    /// The task attempted; 0 for a test send, which belongs to no task.
    public var taskId: Int64
    public var webhookId: Int64
    public var eventId: String
    public var eventType: String
    /// 1 for the first attempt of the task.
    public var attemptNumber: Int
    public var requestURL: String
    public var requestHeaders: [String: String]
    /// The body sent. Delivery does not store it (it is the event's canonical body, rebuilt from the
    /// event when shown); `nil` when shown for an attempt whose event no longer exists.
    public var requestBody: String?
    public var responseStatus: Int?
    public var responseHeaders: [String: String]
    public var responseBody: String?
    public var durationMs: Int
    public var error: String?
    public var success: Bool
    public var createdAt: Date
    /// A test send (`WEBHOOK_TEST`, made by the registry on request), not a delivery: shown in the
    /// logs, kept out of the statistics and of the endpoint's health, never retried.
    public var isTest: Bool
    /// The replay or recovery job (`/api/v1/jobs`) that scheduled this attempt's round of the task;
    /// `nil` for the event's own delivery, its retries and manual retries.
    public var jobId: Int64?

    public init(
        id: Int64 = 0, taskId: Int64, webhookId: Int64, eventId: String, eventType: String, attemptNumber: Int,
        requestURL: String, requestHeaders: [String: String], requestBody: String?, responseStatus: Int?,
        responseHeaders: [String: String], responseBody: String?, durationMs: Int, error: String?, success: Bool,
        createdAt: Date = Date(), isTest: Bool = false, jobId: Int64? = nil
    ) {
        self.id = id
        self.taskId = taskId
        self.webhookId = webhookId
        self.eventId = eventId
        self.eventType = eventType
        self.attemptNumber = attemptNumber
        self.requestURL = requestURL
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.responseStatus = responseStatus
        self.responseHeaders = responseHeaders
        self.responseBody = responseBody
        self.durationMs = durationMs
        self.error = error
        self.success = success
        self.createdAt = createdAt
        self.isTest = isTest
        self.jobId = jobId
    }
}
