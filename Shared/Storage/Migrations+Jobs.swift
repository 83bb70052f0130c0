/// Migrations of replay and recovery jobs (versions 27 and 29).
extension Migrations {
    static let jobs: [Migration] = [
        Migration(
            version: 27, name: "delivery jobs: replay and recovery of a time range",
            sql: [
                // One row a job; its cursor and counters move in the same transaction as the tasks
                // each batch schedules, so a job resumed after a crash neither skips nor repeats one.
                """
                CREATE TABLE IF NOT EXISTS delivery_jobs (
                    id              BIGSERIAL PRIMARY KEY,
                    kind            TEXT NOT NULL CHECK (kind IN ('replay', 'recover')),
                    tenant_id       BIGINT,
                    webhook_id      BIGINT,
                    event_types     TEXT[],
                    since           TIMESTAMPTZ NOT NULL,
                    until           TIMESTAMPTZ NOT NULL,
                    only_missing    BOOLEAN NOT NULL DEFAULT FALSE,
                    idempotency_key TEXT,
                    status          TEXT NOT NULL DEFAULT 'queued'
                                    CHECK (status IN ('queued', 'running', 'completed', 'cancelled', 'failed')),
                    total           BIGINT,
                    scanned         BIGINT NOT NULL DEFAULT 0,
                    scheduled       BIGINT NOT NULL DEFAULT 0,
                    skipped         BIGINT NOT NULL DEFAULT 0,
                    cursor_time     TIMESTAMPTZ,
                    cursor_scope    BIGINT,
                    cursor_key      TEXT,
                    error           TEXT,
                    created_by      TEXT NOT NULL DEFAULT '',
                    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
                    started_at      TIMESTAMPTZ,
                    finished_at     TIMESTAMPTZ,
                    progressed_at   TIMESTAMPTZ,
                    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                // A repeated create with the same Idempotency-Key finds the first job.
                """
                CREATE UNIQUE INDEX IF NOT EXISTS delivery_jobs_idempotency_idx
                    ON delivery_jobs (coalesce(tenant_id, -1), idempotency_key) WHERE idempotency_key IS NOT NULL
                """,
                "CREATE INDEX IF NOT EXISTS delivery_jobs_active_idx ON delivery_jobs (progressed_at NULLS FIRST, id) WHERE status IN ('queued', 'running')",
                "CREATE INDEX IF NOT EXISTS delivery_jobs_tenant_idx ON delivery_jobs (tenant_id, id DESC)",
                // The job that scheduled a task's current round of attempts (NULL: the event's own
                // fan-out or a manual retry), copied onto each attempt so the log marks replays.
                // Only job tasks still to be attempted are indexed: the fan-out's rows never are.
                "ALTER TABLE delivery_tasks ADD COLUMN IF NOT EXISTS job_id BIGINT",
                "ALTER TABLE delivery_attempts ADD COLUMN IF NOT EXISTS job_id BIGINT",
                """
                CREATE INDEX IF NOT EXISTS delivery_tasks_job_outstanding_idx
                    ON delivery_tasks (job_id) WHERE job_id IS NOT NULL AND status IN ('pending', 'retry')
                """,
            ]),
        Migration(
            version: 29, name: "delivery jobs: tasks committed but not yet handed to delivery",
            sql: [
                // One marker per batch that scheduled tasks (its time in milliseconds, shifted left 16
                // bits, and 16 random bits), removed by the registry that committed it once it published
                // them; one still there a while later means the registry died in between, and the next
                // one to pick the job publishes its waiting tasks again (`JobBatch.takeOver`).
                "ALTER TABLE delivery_jobs ADD COLUMN IF NOT EXISTS unpublished BIGINT[] NOT NULL DEFAULT '{}'",
                // Batches of the job that failed in a row; at `JobBatch.maximumFailures` it ends failed.
                "ALTER TABLE delivery_jobs ADD COLUMN IF NOT EXISTS failures INTEGER NOT NULL DEFAULT 0",
            ]),
    ]
}
