import Foundation

/// What happens to a task after an attempt.
public struct RetryDecision: Sendable, Equatable {
    /// The task's new status: `success`, `retry` or `failed`.
    public var status: TaskStatus
    /// When the next attempt is due, for `retry`.
    public var delay: Duration?
    /// Set when the endpoint must be disabled at once (410 Gone), with the reason.
    public var disableReason: String?

    public init(status: TaskStatus, delay: Duration? = nil, disableReason: String? = nil) {
        self.status = status
        self.delay = delay
        self.disableReason = disableReason
    }
}

/// The retry rules, as pure functions.
///
/// - 2xx: success.
/// - 410 Gone: the task fails and the endpoint is disabled ("the endpoint said it is gone").
/// - anything else (other statuses, timeouts, connection errors, refused addresses): retried with
///   exponential backoff — 5 s, 30 s, 5 min, 30 min, 2 h, 5 h, 10 h, each with ±10 % jitter — until the
///   webhook's `max_attempts` (8 by default: about 18 hours of retries) is reached, then `failed`.
/// - 429 and 503 with `Retry-After`: the next attempt waits at least that long (capped at 6 hours).
public enum RetryPolicy {
    /// Delay before attempt n+1 after attempt n failed (index n-1); the last entry repeats.
    public static let schedule: [Duration] = [
        .seconds(5), .seconds(30), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18000), .seconds(36000),
    ]
    /// Longest `Retry-After` honoured.
    public static let maximumRetryAfter: Duration = .seconds(6 * 3600)
    /// Relative jitter applied to the schedule.
    public static let jitter = 0.1

    /// A webhook's own schedule (`Webhook.retrySchedule`, seconds) as durations; `nil` when it has
    /// none (or an empty one), so the global schedule applies.
    public static func schedule(seconds: [Int]?) -> [Duration]? {
        guard let seconds, !seconds.isEmpty else { return nil }
        return seconds.map { .seconds(max(1, $0)) }
    }

    /// The backoff after failed attempt `attempt` (1-based); `random` in 0..<1 picks the jitter.
    public static func backoff(afterAttempt attempt: Int, random: Double, schedule: [Duration] = schedule) -> Duration {
        let schedule = schedule.isEmpty ? Self.schedule : schedule
        let base = schedule[min(max(attempt, 1), schedule.count) - 1]
        let factor = 1 + jitter * (2 * random - 1)
        let baseMilliseconds = Double(base.components.seconds) * 1000 + Double(base.components.attoseconds) / 1e15
        return .milliseconds(Int64((baseMilliseconds * factor).rounded()))
    }

    /// Decides the task's fate after an attempt.
    /// - Parameters:
    ///   - statusCode: the response status, `nil` when no response came (timeout, refused, ...).
    ///   - retryAfter: the response's `Retry-After` header.
    ///   - attempt: the number of the attempt just made (1 for the first).
    ///   - maxAttempts: the webhook's limit.
    ///   - retryEnabled: the webhook's retry switch.
    ///   - now: the current time, for HTTP-date `Retry-After` values.
    ///   - random: a number in 0..<1 for the jitter.
    ///   - schedule: the backoff schedule (the standard one unless an operator set another).
    public static func decide(
        statusCode: Int?, retryAfter: String?, attempt: Int, maxAttempts: Int, retryEnabled: Bool,
        now: Date, random: Double, schedule: [Duration] = schedule
    ) -> RetryDecision {
        if let code = statusCode, (200..<300).contains(code) {
            return RetryDecision(status: .success)
        }
        if statusCode == 410 {
            return RetryDecision(status: .failed, disableReason: "the endpoint answered 410 Gone")
        }
        guard retryEnabled, attempt < maxAttempts else { return RetryDecision(status: .failed) }
        var delay = backoff(afterAttempt: attempt, random: random, schedule: schedule)
        if let code = statusCode, code == 429 || code == 503, let header = retryAfter,
            let asked = parseRetryAfter(header, now: now)
        {
            delay = max(delay, min(asked, maximumRetryAfter))
        }
        return RetryDecision(status: .retry, delay: delay)
    }

    /// Parses `Retry-After`: delay-seconds or an HTTP-date (RFC 9110).
    public static func parseRetryAfter(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(text), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSince(now) * 1000)))
    }
}

/// When an endpoint that keeps failing is switched off, with its reason recorded.
public enum AutoDisableRule {
    /// Consecutive tasks that exhausted their attempts without any success in between.
    public static let consecutiveFailedTasks = 5
    /// Or: every attempt failed for this long.
    public static let failingFor: TimeInterval = 5 * 24 * 3600

    /// The reason to disable, or `nil` to keep the endpoint.
    public static func reason(consecutiveFailedTasks failed: Int, failingSince: Date?, now: Date) -> String? {
        if failed >= consecutiveFailedTasks {
            return "\(failed) consecutive deliveries failed after all their attempts"
        }
        if let since = failingSince, now.timeIntervalSince(since) >= failingFor {
            return "every delivery attempt failed for 5 days"
        }
        return nil
    }
}
