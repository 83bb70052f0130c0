import Foundation
import Logging
import PostgresNIO
import WebhookCore

/// Which attempts (the dialects' "logs") a query selects; `nil` fields mean "any".
public struct AttemptFilter: Sendable, Equatable {
    /// The caller's tenant scope: `nil` for a tenant-less operator.
    public var scope: Int64?
    public var webhookId: Int64?
    /// `true` for successful attempts only, `false` for failed ones.
    public var success: Bool?
    public var eventType: String?
    /// Attempts made at or after this time.
    public var since: Date?
    /// Attempts made before this time.
    public var until: Date?
    /// `true` for the registry's test sends only, `false` for deliveries only.
    public var test: Bool?

    public init(
        scope: Int64?, webhookId: Int64? = nil, success: Bool? = nil, eventType: String? = nil, since: Date? = nil, until: Date? = nil,
        test: Bool? = nil
    ) {
        self.scope = scope
        self.webhookId = webhookId
        self.success = success
        self.eventType = eventType
        self.since = since
        self.until = until
        self.test = test
    }
}

/// Outcome counts and latency of a webhook's delivery attempts over a window; its test sends are
/// only counted, apart (`testAttempts`).
public struct AttemptStats: Sendable, Equatable {
    public var total: Int
    public var succeeded: Int
    public var failed: Int
    public var averageMs: Double?
    public var p50Ms: Double?
    public var p95Ms: Double?
    public var p99Ms: Double?
    public var lastAttemptAt: Date?
    /// Test sends in the window, in none of the other figures.
    public var testAttempts: Int
    /// Tasks of the webhook by status (all time).
    public var tasksByStatus: [String: Int]
    /// The window's delivery attempts in buckets of equal width, oldest first; buckets without
    /// attempts are left out.
    public var series: [AttemptBucket]

    public init(
        total: Int, succeeded: Int, failed: Int, averageMs: Double? = nil, p50Ms: Double? = nil, p95Ms: Double? = nil,
        p99Ms: Double? = nil, lastAttemptAt: Date? = nil, testAttempts: Int, tasksByStatus: [String: Int],
        series: [AttemptBucket] = []
    ) {
        self.total = total
        self.succeeded = succeeded
        self.failed = failed
        self.averageMs = averageMs
        self.p50Ms = p50Ms
        self.p95Ms = p95Ms
        self.p99Ms = p99Ms
        self.lastAttemptAt = lastAttemptAt
        self.testAttempts = testAttempts
        self.tasksByStatus = tasksByStatus
        self.series = series
    }
}

/// Delivery attempts of one time bucket of `AttemptStats.series`: outcomes and latency percentiles.
public struct AttemptBucket: Sendable, Equatable {
    /// The bucket's start: a multiple of its width since the Unix epoch.
    public var start: Date
    public var succeeded: Int
    public var failed: Int
    public var p50Ms: Double?
    public var p95Ms: Double?

    public init(start: Date, succeeded: Int, failed: Int, p50Ms: Double?, p95Ms: Double?) {
        self.start = start
        self.succeeded = succeeded
        self.failed = failed
        self.p50Ms = p50Ms
        self.p95Ms = p95Ms
    }

    /// The start of the bucket of width `width` seconds that holds `date`.
    public static func start(of date: Date, width: Int) -> Date {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        return Date(timeIntervalSince1970: TimeInterval(seconds - ((seconds % width) + width) % width))
    }
}

/// Read access to recorded attempts for the registry, always within the caller's tenant scope.
public struct AttemptLogStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The columns `decode` reads, over `delivery_attempts a`. The last is the attempt's event's
    /// payload, looked up only when the attempt stored no body (a delivery attempt since migration
    /// 20): a left join on the event's primary key (tenant_scope, id) written as a scalar subquery,
    /// so every query over `a` (listings, counts) stays as it is. Test sends, which have no event
    /// row, and rows written before migration 20 carry their body and skip the lookup.
    ///
    /// An attempt does not outlive its event (see `RetentionStore.purge`: an event goes only once no
    /// task refers to it, a task only after its attempts; deleting a webhook deletes its attempts
    /// with its tasks). Should the event be missing all the same, the body is shown as `null`, not
    /// an error.
    static let columns = """
        a.id, a.task_id, a.webhook_id, a.event_id, a.event_type, a.attempt, a.request_url, a.request_headers::text, a.request_body,
        a.response_status, a.response_headers::text, a.response_body, a.duration_ms, a.error, a.success, a.created_at, a.is_test,
        (SELECT e.payload FROM events e WHERE a.request_body IS NULL AND e.tenant_scope = a.event_scope AND e.id = a.event_id), a.job_id
        """

    /// A page of attempts, newest first, and the total count.
    public func list(_ filter: AttemptFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [DeliveryAttempt], total: Int) {
        try await client.listPage(
            columns: Self.columns, order: "ORDER BY a.created_at DESC, a.id DESC", page: page, pageSize: pageSize, logger: logger,
            selection: { what, tail in Self.selection(filter, head: "SELECT \(what)", tail: tail) }, decode: Self.decode)
    }

    static func selection(_ f: AttemptFilter, head: String, tail: String) -> PostgresQuery {
        """
        \(unescaped: head)
        FROM delivery_attempts a JOIN webhooks w ON w.id = a.webhook_id
        WHERE (\(f.scope)::bigint IS NULL OR w.tenant_id = \(f.scope))
          AND (\(f.webhookId)::bigint IS NULL OR a.webhook_id = \(f.webhookId))
          AND (\(f.success)::boolean IS NULL OR a.success = \(f.success))
          AND (\(f.eventType)::text IS NULL OR a.event_type = \(f.eventType))
          AND (\(f.since)::timestamptz IS NULL OR a.created_at >= \(f.since))
          AND (\(f.until)::timestamptz IS NULL OR a.created_at < \(f.until))
          AND (\(f.test)::boolean IS NULL OR a.is_test = \(f.test))
        \(unescaped: tail)
        """
    }

    /// Attempt `id` within the scope, if visible.
    public func get(id: Int64, scope: Int64?) async throws(StorageError) -> DeliveryAttempt? {
        try await storage {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM delivery_attempts a JOIN webhooks w ON w.id = a.webhook_id
                WHERE a.id = \(id) AND (\(scope)::bigint IS NULL OR w.tenant_id = \(scope))
                """, logger: logger)
            for try await row in rows { return try Self.decode(row) }
            return nil
        }
    }

    /// Counts, success and latency percentiles of webhook `webhookId`'s delivery attempts since
    /// `since`; its test sends are counted apart.
    public func stats(webhookId: Int64, since: Date, bucketSeconds: Int) async throws(StorageError) -> AttemptStats {
        try await storage {
            var stats = AttemptStats(total: 0, succeeded: 0, failed: 0, testAttempts: 0, tasksByStatus: [:])
            let rows = try await client.query(
                """
                SELECT count(*) FILTER (WHERE NOT is_test), count(*) FILTER (WHERE success AND NOT is_test),
                       (avg(duration_ms) FILTER (WHERE NOT is_test))::float8,
                       (percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE NOT is_test))::float8,
                       (percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE NOT is_test))::float8,
                       (percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE NOT is_test))::float8,
                       max(created_at) FILTER (WHERE NOT is_test), count(*) FILTER (WHERE is_test)
                FROM delivery_attempts WHERE webhook_id = \(webhookId) AND created_at >= \(since)
                """, logger: logger)
            for try await (total, ok, avg, p50, p95, p99, last, tests)
                in rows.decode((Int, Int, Double?, Double?, Double?, Double?, Date?, Int).self)
            {
                stats.total = total
                stats.succeeded = ok
                stats.failed = total - ok
                stats.averageMs = avg
                stats.p50Ms = p50
                stats.p95Ms = p95
                stats.p99Ms = p99
                stats.lastAttemptAt = last
                stats.testAttempts = tests
            }
            let tasks = try await client.query(
                "SELECT status, count(*) FROM delivery_tasks WHERE webhook_id = \(webhookId) GROUP BY status", logger: logger)
            for try await (status, n) in tasks.decode((String, Int).self) { stats.tasksByStatus[status] = n }
            let width = max(60, bucketSeconds)
            let buckets = try await client.query(
                """
                SELECT (floor(extract(epoch FROM created_at) / \(width)) * \(width))::int8 AS bucket,
                       count(*) FILTER (WHERE success), count(*) FILTER (WHERE NOT success),
                       (percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms))::float8,
                       (percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::float8
                FROM delivery_attempts WHERE webhook_id = \(webhookId) AND created_at >= \(since) AND NOT is_test
                GROUP BY bucket ORDER BY bucket
                """, logger: logger)
            for try await (start, ok, failed, p50, p95) in buckets.decode((Int64, Int, Int, Double?, Double?).self) {
                stats.series.append(
                    AttemptBucket(start: Date(timeIntervalSince1970: TimeInterval(start)), succeeded: ok, failed: failed, p50Ms: p50, p95Ms: p95))
            }
            return stats
        }
    }

    /// The body delivery sent for the event stored as `payload` (its message body as received):
    /// `WebhookRequest.body(for:)` of the decoded event, byte for byte what was signed and sent, on
    /// the first attempt as on retries (which rebuild it from the same payload). `nil` without an
    /// event, or for a payload that no longer decodes.
    static func shownBody(eventPayload payload: String?) -> String? {
        guard let payload, let event = try? EventMessage.decode(Array(payload.utf8)) else { return nil }
        return String(decoding: WebhookRequest.body(for: event), as: UTF8.self)
    }

    static func decode(_ row: PostgresRow) throws -> DeliveryAttempt {
        let r = row.makeRandomAccess()
        return DeliveryAttempt(
            id: try r[0].decode(Int64.self), taskId: try r[1].decode(Int64?.self) ?? 0, webhookId: try r[2].decode(Int64.self),
            eventId: try r[3].decode(String.self), eventType: try r[4].decode(String.self), attemptNumber: try r[5].decode(Int.self),
            requestURL: try r[6].decode(String.self), requestHeaders: JSONColumn.decode(try r[7].decode(String?.self)),
            requestBody: try r[8].decode(String?.self) ?? shownBody(eventPayload: r[17].decode(String?.self)), responseStatus: try r[9].decode(Int?.self),
            responseHeaders: JSONColumn.decode(try r[10].decode(String?.self)), responseBody: try r[11].decode(String?.self),
            durationMs: try r[12].decode(Int.self), error: try r[13].decode(String?.self), success: try r[14].decode(Bool.self),
            createdAt: try r[15].decode(Date.self), isTest: try r[16].decode(Bool.self),
            jobId: try r[18].decode(Int64?.self))
    }
}

extension AttemptLogStore: AttemptLogRepository {}
