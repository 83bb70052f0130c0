/// Migrations of the delivery engine (versions from 10 up).
extension Migrations {
    /// Every migration, in version order.
    static var ordered: [Migration] { (all + delivery).sorted { $0.version < $1.version } }

    static let delivery: [Migration] = [
        Migration(version: 10, name: "delivery engine: retries, schedule versions, endpoint health", sql: [
            // The event exactly as received, so retries send the very same bytes (jsonb would
            // renormalise numbers such as 1e2).
            "ALTER TABLE events ALTER COLUMN payload TYPE TEXT USING payload::text",
            // Bumped whenever the task is (re)scheduled; a task message carrying an older version is stale.
            "ALTER TABLE delivery_tasks ADD COLUMN schedule_version INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE delivery_tasks ADD COLUMN last_attempt_at TIMESTAMPTZ",
            "ALTER TABLE webhooks ADD COLUMN consecutive_failed_tasks INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE webhooks ADD COLUMN failing_since TIMESTAMPTZ",
            "CREATE INDEX delivery_tasks_event_idx ON delivery_tasks (event_id)",
        ]),
    ]
}
