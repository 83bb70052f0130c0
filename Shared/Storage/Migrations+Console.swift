/// Migrations of the registry's console features (versions from 23 up) and of webhook fields added since.
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
            version: 24, name: "webhooks: payload filter",
            sql: [
                // The filter document as the registry checked it (`PayloadFilter.compile`); NULL
                // delivers every event the webhook's other fields select.
                "ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS filter JSONB"
            ]),
    ]
}
