import Foundation
import WebhookCore

/// An event as the fan-out stage writes it once its first attempts are made: the event, and per
/// webhook it matched the task in its state after that attempt.
public struct FanoutRecord: Sendable {
    public var event: Event
    public var tasks: [FirstAttempt]

    public init(event: Event, tasks: [FirstAttempt]) {
        self.event = event
        self.tasks = tasks
    }
}

/// A matched webhook's task as the fan-out stage writes it.
public struct FirstAttempt: Sendable {
    public var webhookId: Int64
    /// The attempt made, with the task's state after it; `nil`: the task was handed to
    /// `webhooks.deliver` (written pending, with no attempt).
    public var record: AttemptRecord?

    public init(webhookId: Int64, record: AttemptRecord?) {
        self.webhookId = webhookId
        self.record = record
    }
}

/// A task the fan-out write inserted.
public struct WrittenTask: Sendable, Equatable {
    public var id: Int64
    public var webhookId: Int64
    /// Its schedule version (task messages must carry it).
    public var scheduleVersion: Int
    /// Set when the endpoint was disabled after this write, with the reason.
    public var disabledReason: String?

    public init(id: Int64, webhookId: Int64, scheduleVersion: Int, disabledReason: String? = nil) {
        self.id = id
        self.webhookId = webhookId
        self.scheduleVersion = scheduleVersion
        self.disabledReason = disabledReason
    }
}
