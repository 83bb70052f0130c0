import Foundation
import WebhookCore

/// One attempt to record together with the task's new state.
public struct AttemptRecord: Sendable {
    public var attempt: DeliveryAttempt
    /// The task's status after the attempt.
    public var status: TaskStatus
    /// When the next attempt is due, for `retry`.
    public var nextTryAt: Date?
    /// Disable the endpoint at once with this reason (410 Gone).
    public var disableReason: String?

    public init(attempt: DeliveryAttempt, status: TaskStatus, nextTryAt: Date?, disableReason: String? = nil) {
        self.attempt = attempt
        self.status = status
        self.nextTryAt = nextTryAt
        self.disableReason = disableReason
    }
}

/// What recording an attempt changed.
public struct RecordedAttempt: Sendable, Equatable {
    /// The task's schedule version after the attempt (task messages must carry it).
    public var scheduleVersion: Int
    /// Set when the endpoint was disabled by this batch, with the reason.
    public var disabledReason: String?
}
