import Foundation
import Testing
import WebhookCore

@Suite("Retry policy")
struct RetryPolicyTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func decide(_ status: Int?, retryAfter: String? = nil, attempt: Int = 1, max: Int = 8, enabled: Bool = true, random: Double = 0.5) -> RetryDecision {
        RetryPolicy.decide(statusCode: status, retryAfter: retryAfter, attempt: attempt, maxAttempts: max, retryEnabled: enabled, now: now, random: random)
    }

    @Test func successAndGone() {
        #expect(decide(200) == RetryDecision(status: .success))
        #expect(decide(204).status == .success)
        let gone = decide(410)
        #expect(gone.status == .failed && gone.disableReason != nil && gone.delay == nil)
    }

    @Test func failuresBackOffExponentiallyWithJitter() {
        #expect(decide(500, attempt: 1).delay == .seconds(5))
        #expect(decide(nil, attempt: 2).delay == .seconds(30))
        #expect(decide(502, attempt: 3).delay == .seconds(300))
        #expect(decide(500, attempt: 7).delay == .seconds(36000))
        #expect(decide(500, attempt: 1, random: 0).delay == .milliseconds(4500))
        #expect(decide(500, attempt: 1, random: 0.999_999).delay! < .milliseconds(5501))
        let total = (1..<8).map { RetryPolicy.backoff(afterAttempt: $0, random: 0.5) }.reduce(Duration.zero, +)
        #expect(total > .seconds(12 * 3600) && total < .seconds(36 * 3600), "about a day of retries")
    }

    @Test func aWebhooksOwnScheduleReplacesTheGlobalOne() {
        let own = RetryPolicy.schedule(seconds: [1, 1])
        #expect(own == [.seconds(1), .seconds(1)])
        #expect(RetryPolicy.schedule(seconds: nil) == nil && RetryPolicy.schedule(seconds: []) == nil, "none: the global schedule")
        func ownDecision(_ attempt: Int) -> RetryDecision {
            RetryPolicy.decide(
                statusCode: 500, retryAfter: nil, attempt: attempt, maxAttempts: 4, retryEnabled: true, now: now, random: 0.5,
                schedule: own ?? RetryPolicy.schedule)
        }
        #expect(ownDecision(1).delay == .seconds(1) && ownDecision(3).delay == .seconds(1), "its delays, the last repeating")
        #expect(ownDecision(4).status == .failed, "max_attempts still ends the task")
        let long = RetryPolicy.schedule(seconds: [2, 86_400])!
        #expect(RetryPolicy.backoff(afterAttempt: 2, random: 0.5, schedule: long) == .seconds(86_400))
        #expect(
            RetryPolicy.decide(
                statusCode: 429, retryAfter: "60", attempt: 1, maxAttempts: 4, retryEnabled: true, now: now, random: 0.5, schedule: own!
            ).delay == .seconds(60), "Retry-After still lengthens the wait")
    }

    @Test func stopsAtTheLimitOrWhenDisabled() {
        #expect(decide(500, attempt: 8, max: 8).status == .failed)
        #expect(decide(500, attempt: 7, max: 8).status == .retry)
        #expect(decide(500, attempt: 1, enabled: false).status == .failed)
        #expect(decide(500, attempt: 1, max: 1).status == .failed)
    }

    @Test func retryAfterIsHonouredOn429And503WithinBounds() {
        #expect(decide(429, retryAfter: "120").delay == .seconds(120))
        #expect(decide(503, retryAfter: "1").delay == .seconds(5), "never earlier than the schedule")
        #expect(decide(429, retryAfter: "999999").delay == RetryPolicy.maximumRetryAfter)
        #expect(decide(500, retryAfter: "120").delay == .seconds(5), "only 429 and 503")
        #expect(decide(429, retryAfter: "soon").delay == .seconds(5))
        let date = "Fri, 15 Jan 2027 08:00:00 GMT"
        let expected = Date(timeIntervalSince1970: 1_800_000_000 + 0)  // now
        #expect(RetryPolicy.parseRetryAfter(date, now: expected) != nil)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .zero, "a past date means now")
    }

    @Test func customSchedule() {
        let schedule: [Duration] = [.seconds(1), .seconds(2)]
        #expect(
            RetryPolicy.decide(statusCode: 500, retryAfter: nil, attempt: 1, maxAttempts: 5, retryEnabled: true, now: now, random: 0.5, schedule: schedule)
                .delay == .seconds(1))
        #expect(
            RetryPolicy.decide(statusCode: 500, retryAfter: nil, attempt: 4, maxAttempts: 5, retryEnabled: true, now: now, random: 0.5, schedule: schedule)
                .delay == .seconds(2))
    }

    @Test func autoDisableRule() {
        #expect(AutoDisableRule.reason(consecutiveFailedTasks: 4, failingSince: nil, now: now) == nil)
        #expect(AutoDisableRule.reason(consecutiveFailedTasks: 5, failingSince: nil, now: now) != nil)
        #expect(AutoDisableRule.reason(consecutiveFailedTasks: 0, failingSince: now.addingTimeInterval(-4 * 86400), now: now) == nil)
        #expect(AutoDisableRule.reason(consecutiveFailedTasks: 0, failingSince: now.addingTimeInterval(-5 * 86400), now: now) != nil)
    }

    @Test func taskMessages() throws {
        let m = TaskMessage(taskID: 42, version: 3)
        #expect(try TaskMessage.decode(m.body) == m)
        #expect(try TaskMessage.decode(Array(#"{"task_id": 7}"#.utf8)) == TaskMessage(taskID: 7, version: nil))
        #expect(throws: EventValidationError.self) { try TaskMessage.decode(Array("nope".utf8)) }
        #expect(throws: EventValidationError.self) { try TaskMessage.decode(Array(#"{"task_id": "7"}"#.utf8)) }
        #expect(throws: EventValidationError.self) { try TaskMessage.decode(Array(#"{"task_id": -1}"#.utf8)) }
        let full = TaskMessage(taskID: 42, version: 3, webhookID: 9, deferrals: 2)
        #expect(try TaskMessage.decode(full.body) == full)
        #expect(full.deferred().deferrals == 3 && full.deferred().webhookID == 9)
        #expect(throws: EventValidationError.self) { try TaskMessage.decode(Array(#"{"task_id": 7, "webhook_id": 0}"#.utf8)) }
        #expect(throws: EventValidationError.self) { try TaskMessage.decode(Array(#"{"task_id": 7, "deferrals": -1}"#.utf8)) }
    }

    @Test func deferralsWaitTwiceAsLongEachTimeUpToTheLimit() {
        let delays = (0...8).map { TaskMessage.deferralDelay($0, base: .seconds(1), limit: .seconds(60)) }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32), .seconds(60), .seconds(60), .seconds(60)])
        #expect(TaskMessage.deferralDelay(10_000, base: .seconds(1), limit: .seconds(60)) == .seconds(60))
    }
}
