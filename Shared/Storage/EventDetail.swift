import Foundation

/// A stored event as the registry's event lookup shows it.
public struct EventRecord: Sendable, Equatable {
    public var id: String
    public var type: String
    public var tenantId: Int64?
    public var resourceKey: String?
    public var occurredAt: Date
    public var receivedAt: Date
    /// The payload as stored (JSON text).
    public var payload: String

    public init(id: String, type: String, tenantId: Int64?, resourceKey: String?, occurredAt: Date, receivedAt: Date, payload: String) {
        self.id = id
        self.type = type
        self.tenantId = tenantId
        self.resourceKey = resourceKey
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.payload = payload
    }
}

/// One delivery task of an event, with the name of its webhook.
public struct EventTask: Sendable, Equatable {
    public var task: TaskRecord
    public var webhookName: String

    public init(task: TaskRecord, webhookName: String) {
        self.task = task
        self.webhookName = webhookName
    }
}

/// One attempt of an event's task, without its request and response bodies.
public struct EventAttempt: Sendable, Equatable {
    public var id: Int64
    public var taskId: Int64
    public var webhookId: Int64
    public var attemptNumber: Int
    public var success: Bool
    public var responseStatus: Int?
    public var durationMs: Int
    public var createdAt: Date
    /// The replay or recovery job the attempt was made for, if any.
    public var jobId: Int64?

    public init(
        id: Int64, taskId: Int64, webhookId: Int64, attemptNumber: Int, success: Bool, responseStatus: Int?, durationMs: Int,
        createdAt: Date, jobId: Int64? = nil
    ) {
        self.id = id
        self.taskId = taskId
        self.webhookId = webhookId
        self.attemptNumber = attemptNumber
        self.success = success
        self.responseStatus = responseStatus
        self.durationMs = durationMs
        self.createdAt = createdAt
        self.jobId = jobId
    }
}

/// An event with every task it has and every attempt of those tasks: whether it reached everyone.
public struct EventDetail: Sendable, Equatable {
    public var event: EventRecord
    /// By task id.
    public var tasks: [EventTask]
    /// By task, then time.
    public var attempts: [EventAttempt]

    public init(event: EventRecord, tasks: [EventTask], attempts: [EventAttempt]) {
        self.event = event
        self.tasks = tasks
        self.attempts = attempts
    }
}
