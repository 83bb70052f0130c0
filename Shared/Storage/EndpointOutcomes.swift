import Foundation
import PostgresNIO
import WebhookCore

/// A batch's attempts folded per endpoint, for the batch statements' health update: how many
/// succeeded, how many tasks ran out of attempts, the first failure and the last error; and the
/// endpoints that answered 410 Gone (disabled at once).
struct EndpointOutcomes {
    struct Health {
        var successes = 0
        var exhausted = 0
        var firstFailure: Date?
        var lastError: String?
    }

    private(set) var health: [Int64: Health] = [:]
    /// Endpoints that answered 410 Gone in this batch, with the reason to disable them.
    private(set) var goneReasons: [Int64: String] = [:]

    init() {}

    init(_ records: some Sequence<AttemptRecord>) {
        for record in records { add(record) }
    }

    mutating func add(_ record: AttemptRecord) {
        let a = record.attempt
        var h = health[a.webhookId] ?? Health()
        if a.success {
            h.successes += 1
        } else {
            if h.firstFailure == nil { h.firstFailure = a.createdAt }
            h.lastError = a.error ?? a.responseStatus.map { "HTTP \($0)" }
            if record.status == .failed { h.exhausted += 1 }
        }
        health[a.webhookId] = h
        if let reason = record.disableReason { goneReasons[a.webhookId] = reason }
    }

    /// The endpoints in id order, so that concurrent batches (of several replicas) lock them in the
    /// same order whichever side of the join PostgreSQL reads first.
    var sorted: [(id: Int64, health: Health)] { health.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// The batch statements' health update, reading `bind(into:)`'s five columns from parameter
    /// `first` on: folds each endpoint's outcomes into its row; a healthy endpoint that stays healthy
    /// is not written (nor locked). Returns each endpoint whose health changed.
    static func healthUpdate(from first: Int) -> String {
        let (ids, successes, exhausted, firstFailure, lastError) = (first, first + 1, first + 2, first + 3, first + 4)
        return """
            UPDATE webhooks w SET
                last_error = COALESCE(x.last_error, w.last_error),
                consecutive_failed_tasks = CASE WHEN x.successes > 0 THEN x.exhausted ELSE w.consecutive_failed_tasks + x.exhausted END,
                failing_since = CASE WHEN x.successes > 0 THEN NULL ELSE COALESCE(w.failing_since, x.first_failure) END
            FROM unnest($\(ids)::bigint[], $\(successes)::bigint[], $\(exhausted)::bigint[], $\(firstFailure)::timestamptz[], $\(lastError)::text[])
                AS x(webhook_id, successes, exhausted, first_failure, last_error)
            WHERE w.id = x.webhook_id AND w.id = ANY($\(ids)::bigint[])
              AND NOT (x.successes > 0 AND x.exhausted = 0 AND x.last_error IS NULL
                       AND w.consecutive_failed_tasks = 0 AND w.failing_since IS NULL)
            RETURNING w.id, w.status, w.consecutive_failed_tasks, w.failing_since
            """
    }

    /// The endpoints' columns as the batch statements' health update reads them (`unnest` of id,
    /// successes, exhausted, first failure, last error), appended to `bindings`.
    func bind(into bindings: inout PostgresBindings) {
        let endpoints = sorted
        bindings.append(endpoints.map(\.id))
        bindings.append(endpoints.map { $0.health.successes })
        bindings.append(endpoints.map { $0.health.exhausted })
        bindings.append(ArrayBind(endpoints.map { $0.health.firstFailure }))
        bindings.append(ArrayBind(text: endpoints.map { $0.health.lastError }))
    }

    /// The endpoint to switch off after the batch, given its health as the statement left it: on a
    /// 410 Gone of this batch, or by `AutoDisableRule`; `nil` to keep it.
    func disableReason(for row: EndpointHealthRow, now: Date) -> String? {
        guard row.status == WebhookStatus.active.rawValue else { return nil }
        return goneReasons[row.id]
            ?? AutoDisableRule.reason(
                consecutiveFailedTasks: row.consecutiveFailedTasks,
                failingSince: row.failingSince, now: now)
    }
}

/// An endpoint whose health a batch statement changed, as the statement returned it. `checkedAt`:
/// the statement's time; the webhook had not changed since.
struct EndpointHealthRow {
    var id: Int64
    var status: String
    var consecutiveFailedTasks: Int
    var failingSince: Date?
    var checkedAt: Date
}

extension DeliveryStore {
    /// Switches off the endpoints a committed batch left failing (`EndpointOutcomes.disableReason`);
    /// returns those disabled, with the reason. Run after the commit: a failure here loses nothing
    /// (the counters stay committed and the next failure decides again), so it is logged, not
    /// thrown. A webhook changed since the batch read it (re-enabled by an operator, say) is left alone.
    func disableFailing(_ rows: [EndpointHealthRow], outcomes: EndpointOutcomes) async -> [Int64: String] {
        let now = Date()
        var disabled: [Int64: String] = [:]
        for row in rows {
            guard let reason = outcomes.disableReason(for: row, now: now) else { continue }
            do {
                let updated = try await client.query(
                    """
                    UPDATE webhooks SET status = 'auto-disabled', disabled_reason = \(reason), updated_at = now()
                    WHERE id = \(row.id) AND status = 'active' AND updated_at <= \(row.checkedAt)
                    RETURNING id
                    """, logger: logger)
                for try await _ in updated {
                    disabled[row.id] = reason
                    logger.warning("endpoint auto-disabled", metadata: ["webhook_id": "\(row.id)", "reason": "\(reason)"])
                }
            } catch {
                logger.warning(
                    "endpoint not auto-disabled; the next failure decides again",
                    metadata: ["webhook_id": "\(row.id)", "error": "\(String(reflecting: error))"])
            }
        }
        return disabled
    }
}

extension EndpointHealthRow {
    /// Decodes columns `start...start + 5` of a statement's row: id, (unused), status,
    /// consecutive_failed_tasks, failing_since, the statement's time.
    init(_ r: PostgresRandomAccessRow, from start: Int) throws {
        self.init(
            id: try r[start].decode(Int64.self), status: try r[start + 2].decode(String.self),
            consecutiveFailedTasks: try r[start + 3].decode(Int.self), failingSince: try r[start + 4].decode(Date?.self),
            checkedAt: try r[start + 5].decode(Date.self))
    }
}
