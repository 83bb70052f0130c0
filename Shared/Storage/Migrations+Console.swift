/// Migrations of the registry's console and event features (versions from 23 up).
extension Migrations {
    static let console: [Migration] = [
        Migration(
            version: 23, name: "registry: portal sessions (revocable links for one tenant)",
            sql: [
                // A portal token names its session; every request with it looks the session up by its
                // key (`PortalSessionStore.isActive`).
                """
                CREATE TABLE IF NOT EXISTS portal_sessions (
                    id         UUID PRIMARY KEY,
                    tenant_id  BIGINT NOT NULL,
                    role       TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
                    created_by TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    expires_at TIMESTAMPTZ NOT NULL,
                    revoked_at TIMESTAMPTZ
                )
                """,
                "CREATE INDEX IF NOT EXISTS portal_sessions_tenant_idx ON portal_sessions (tenant_id, created_at DESC)",
            ]),
        Migration(
            version: 24, name: "events: listed per tenant, newest first",
            sql: [
                // `GET /api/v1/events` (`TaskStore.events`): one tenant's events by arrival, newest
                // first, a time range read as a range of this index.
                "CREATE INDEX IF NOT EXISTS events_scope_received_idx ON events (tenant_scope, received_at DESC, id DESC)"
            ]),
        Migration(
            version: 25, name: "webhooks: payload filter",
            sql: [
                // The filter document as the registry checked it (`PayloadFilter.compile`); NULL
                // delivers every event the webhook's other fields select.
                "ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS filter JSONB"
            ]),
        Migration(
            version: 26, name: "webhooks: delivery policy overrides",
            sql: [
                // Per-webhook overrides of delivery's DELIVERY_ENDPOINT_RATE, DELIVERY_ENDPOINT_CONCURRENCY
                // and DELIVERY_RETRY_SCHEDULE (seconds between attempts); NULL uses the global setting.
                "ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS rate_limit INTEGER",
                "ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS max_in_flight INTEGER",
                "ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS retry_schedule BIGINT[]",
            ]),
    ]
}
