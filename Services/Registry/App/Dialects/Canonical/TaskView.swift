import Foundation
import Storage
import WebhookCore

/// A delivery task as the canonical API and the tenant-parameter dialect show it (`event`, `status`, `retries`,
/// `next_try_at`, `created_at`, `url`, `id`, plus details).
struct TaskView: ExplicitNulls {
    let id: Int64
    let task_id: Int64
    let event: String
    let event_type: String
    let event_id: String
    let webhook_id: Int64
    let tenant_id: Int64
    let url: String
    let status: String
    let retries: Int
    let next_try_at: String?
    let last_status_code: Int?
    let last_error: String?
    let created_at: String
    let updated_at: String

    init(_ t: TaskRecord) {
        id = t.id
        task_id = t.id
        event = t.eventType
        event_type = t.eventType
        event_id = t.eventId
        webhook_id = t.webhookId
        tenant_id = t.tenantId
        url = t.url
        status = t.status.rawValue
        retries = t.attempts
        next_try_at = t.nextTryAt.map(Timestamp.format)
        last_status_code = t.lastStatusCode
        last_error = t.lastError
        created_at = Timestamp.format(t.createdAt)
        updated_at = Timestamp.format(t.updatedAt)
    }
}

/// Outcome counts and latency of a webhook's deliveries over a window (canonical and FastAPI-style
/// `stats`); test sends are in none of them, only in `test_attempts`.
struct StatsView: ExplicitNulls {
    let webhook_id: Int64
    let window_hours: Int
    let since: String
    let total: Int
    let succeeded: Int
    let failed: Int
    /// The FastAPI-style dialect's aliases.
    let total_deliveries: Int
    let successful_deliveries: Int
    let failed_deliveries: Int
    /// Between 0 and 1; `null` without attempts.
    let success_rate: Double?
    let avg_response_time_ms: Double?
    let p50_ms: Double?
    let p95_ms: Double?
    let p99_ms: Double?
    let last_attempt_at: String?
    let tasks: [String: Int]
    /// Test sends in the window.
    let test_attempts: Int
    /// Width of each `series` bucket in seconds.
    let bucket_seconds: Int
    /// The window's delivery attempts per bucket, oldest first; empty buckets are left out.
    let series: [BucketView]

    /// One bucket of `series`.
    struct BucketView: ExplicitNulls {
        let start: String
        let succeeded: Int
        let failed: Int
        let p50_ms: Double?
        let p95_ms: Double?
    }

    /// Buckets of an hour up to two days, of six hours up to two weeks, of a day beyond.
    static func bucketSeconds(hours: Int) -> Int {
        hours <= 48 ? 3600 : hours <= 336 ? 6 * 3600 : 24 * 3600
    }

    init(webhookId: Int64, hours: Int, since: Date, bucketSeconds: Int, _ s: AttemptStats) {
        webhook_id = webhookId
        window_hours = hours
        self.since = Timestamp.format(since)
        total = s.total
        succeeded = s.succeeded
        failed = s.failed
        total_deliveries = s.total
        successful_deliveries = s.succeeded
        failed_deliveries = s.failed
        success_rate = s.total == 0 ? nil : (Double(s.succeeded) / Double(s.total) * 10_000).rounded() / 10_000
        avg_response_time_ms = s.averageMs.map { ($0 * 10).rounded() / 10 }
        p50_ms = s.p50Ms
        p95_ms = s.p95Ms
        p99_ms = s.p99Ms
        last_attempt_at = s.lastAttemptAt.map(Timestamp.format)
        var tasks = Dictionary(uniqueKeysWithValues: TaskStatus.allCases.map { ($0.rawValue, 0) })
        for (k, v) in s.tasksByStatus { tasks[k] = v }
        self.tasks = tasks
        test_attempts = s.testAttempts
        bucket_seconds = bucketSeconds
        series = s.series.map {
            BucketView(start: Timestamp.format($0.start), succeeded: $0.succeeded, failed: $0.failed, p50_ms: $0.p50Ms, p95_ms: $0.p95Ms)
        }
    }
}

/// The synchronous test's result (canonical and FastAPI-style): status code, response time, headers, body, error.
struct TestResultView: ExplicitNulls {
    let success: Bool
    let status_code: Int?
    /// Milliseconds (the canonical `response_time`).
    let response_time: Int
    let response_time_ms: Int
    let response_headers: [String: String]
    let response_body: String?
    let error: String?
    let event_id: String
    let event_type: String
    let message_id: String
    let request_url: String
    let request_headers: [String: String]
    let request_body: String
    let sent_at: String
    /// The test send's id in the logs; `null` when it could not be recorded.
    let log_id: Int64?

    init(_ sent: TestSend) {
        let o = sent.outcome
        success = o.success
        status_code = o.statusCode
        response_time = o.durationMs
        response_time_ms = o.durationMs
        response_headers = headerMap(o.responseHeaders)
        response_body = o.responseBody
        error = o.error
        event_id = o.eventId
        event_type = EventCatalogue.testEventType
        message_id = o.messageId
        request_url = o.requestURL
        request_headers = headerMap(o.requestHeaders)
        request_body = o.requestBody
        sent_at = Timestamp.format(o.sentAt)
        log_id = sent.log?.id
    }
}

/// Header pairs as an object (a repeated name keeps its values joined by ", ").
func headerMap(_ pairs: [(name: String, value: String)]) -> [String: String] {
    var map: [String: String] = [:]
    for (name, value) in pairs {
        if let existing = map[name] { map[name] = existing + ", " + value } else { map[name] = value }
    }
    return map
}
