/// The schema, as ordered, versioned SQL. Each runs once, in a transaction, recorded in
/// `schema_migrations`; never edit a released migration — add a new one.
enum Migrations {
    struct Migration {
        let version: Int
        let name: String
        let sql: [String]
    }

    static let all: [Migration] = [
        Migration(
            version: 1, name: "initial schema",
            sql: [
                """
                CREATE TABLE users (
                    id            BIGSERIAL PRIMARY KEY,
                    username      TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    role          TEXT NOT NULL CHECK (role IN ('admin', 'viewer', 'publisher')),
                    tenant_id     BIGINT,
                    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE webhooks (
                    id                   BIGSERIAL PRIMARY KEY,
                    tenant_id            BIGINT NOT NULL,
                    name                 TEXT NOT NULL DEFAULT '',
                    description          TEXT NOT NULL DEFAULT '',
                    url                  TEXT NOT NULL,
                    secret               TEXT NOT NULL,
                    headers              JSONB NOT NULL DEFAULT '{}',
                    events               TEXT[] NOT NULL,
                    resource_key_pattern TEXT,
                    association_type     TEXT NOT NULL DEFAULT 'SYSTEM' CHECK (association_type IN ('SYSTEM', 'PROJECT', 'REPO')),
                    association_id       TEXT,
                    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'auto-disabled')),
                    disabled_reason      TEXT,
                    retry_enabled        BOOLEAN NOT NULL DEFAULT TRUE,
                    max_attempts         INTEGER NOT NULL DEFAULT 8 CHECK (max_attempts BETWEEN 1 AND 50),
                    signature_header     TEXT NOT NULL DEFAULT 'X-Webhook-Signature',
                    event_header         TEXT NOT NULL DEFAULT 'X-Webhook-Event',
                    created_by           TEXT NOT NULL DEFAULT '',
                    updated_by           TEXT NOT NULL DEFAULT '',
                    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
                    last_error           TEXT,
                    CONSTRAINT webhooks_tenant_url_unique UNIQUE (tenant_id, url)
                )
                """,
                "CREATE INDEX webhooks_active_idx ON webhooks (status) WHERE status = 'active'",
                """
                CREATE TABLE events (
                    id               TEXT PRIMARY KEY,
                    type             TEXT NOT NULL,
                    tenant_id        BIGINT,
                    association_type TEXT,
                    association_id   TEXT,
                    resource_key     TEXT,
                    occurred_at      TIMESTAMPTZ NOT NULL,
                    payload          JSONB NOT NULL,
                    received_at      TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE delivery_tasks (
                    id               BIGSERIAL PRIMARY KEY,
                    event_id         TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
                    webhook_id       BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
                    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retry', 'success', 'failed', 'cancelled')),
                    attempts         INTEGER NOT NULL DEFAULT 0,
                    next_try_at      TIMESTAMPTZ,
                    last_status_code INTEGER,
                    last_error       TEXT,
                    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
                    CONSTRAINT delivery_tasks_event_webhook_unique UNIQUE (event_id, webhook_id)
                )
                """,
                "CREATE INDEX delivery_tasks_webhook_idx ON delivery_tasks (webhook_id, created_at DESC)",
                "CREATE INDEX delivery_tasks_due_idx ON delivery_tasks (next_try_at) WHERE status IN ('pending', 'retry')",
                """
                CREATE TABLE delivery_attempts (
                    id               BIGSERIAL PRIMARY KEY,
                    task_id          BIGINT NOT NULL REFERENCES delivery_tasks (id) ON DELETE CASCADE,
                    webhook_id       BIGINT NOT NULL,
                    event_id         TEXT NOT NULL,
                    event_type       TEXT NOT NULL,
                    attempt          INTEGER NOT NULL,
                    request_url      TEXT NOT NULL,
                    request_headers  JSONB NOT NULL,
                    request_body     TEXT NOT NULL,
                    response_status  INTEGER,
                    response_headers JSONB NOT NULL DEFAULT '{}',
                    response_body    TEXT,
                    duration_ms      INTEGER NOT NULL,
                    error            TEXT,
                    success          BOOLEAN NOT NULL,
                    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX delivery_attempts_webhook_idx ON delivery_attempts (webhook_id, created_at DESC, id DESC)",
                "CREATE INDEX delivery_attempts_task_idx ON delivery_attempts (task_id)",
                "CREATE INDEX delivery_attempts_created_idx ON delivery_attempts (created_at)",
            ]),
        Migration(
            version: 2, name: "registry: secret rotation, listing indexes",
            sql: [
                "ALTER TABLE webhooks ADD COLUMN previous_secret TEXT",
                "ALTER TABLE webhooks ADD COLUMN previous_secret_expires_at TIMESTAMPTZ",
                "CREATE INDEX webhooks_tenant_idx ON webhooks (tenant_id, id DESC)",
                "CREATE INDEX delivery_tasks_status_idx ON delivery_tasks (status, created_at DESC)",
            ]),
    ]
}
