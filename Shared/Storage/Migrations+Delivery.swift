/// Migrations of the delivery engine (versions from 10 up).
extension Migrations {
    /// Every migration, in version order.
    static var ordered: [Migration] { (all + delivery + console + catalogue + jobs).sorted { $0.version < $1.version } }

    static let delivery: [Migration] = [
        Migration(
            version: 10, name: "delivery engine: retries, schedule versions, endpoint health",
            sql: [
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
        Migration(
            version: 11, name: "delivery engine: one index less to write per task",
            sql: [
                // The unique (event_id, webhook_id) index answers every lookup by event id already.
                "DROP INDEX IF EXISTS delivery_tasks_event_idx"
            ]),
        Migration(
            version: 12, name: "delivery engine: no per-row foreign-key checks on the hot path",
            sql: [
                // Each checked row cost a query and a row lock (about 40 % of the batch statements'
                // execution). Each task is inserted by the statement that inserts its event, and
                // retention (migration 15) deletes an event only once no task refers to it; attempts are deleted with their webhook by `WebhookStore.delete`.
                // Tasks keep their key to webhooks: deleting a webhook takes its tasks along.
                "ALTER TABLE delivery_tasks DROP CONSTRAINT IF EXISTS delivery_tasks_event_id_fkey",
                "ALTER TABLE delivery_attempts DROP CONSTRAINT IF EXISTS delivery_attempts_task_id_fkey",
            ]),
        Migration(
            version: 13, name: "delivery engine: index only the task states looked up by status",
            sql: [
                // Every task entered the (status, created_at) index twice, when inserted and when its
                // first attempt moved it on. Pending and retrying tasks are in delivery_tasks_due_idx;
                // failed and cancelled ones (listing by status, recovery of failed tasks) here;
                // successful ones, most of the table, are found through the primary key or the webhook.
                "DROP INDEX IF EXISTS delivery_tasks_status_idx",
                "CREATE INDEX IF NOT EXISTS delivery_tasks_unsuccessful_idx ON delivery_tasks (id) WHERE status IN ('failed', 'cancelled')",
            ]),
        Migration(
            version: 14, name: "delivery engine: failed tasks found by creation time",
            sql: [
                // Recovering failed tasks asks for a creation-time range; keyed by id, the index made it
                // read every failed task older than the range too. Listing by status sorts the (few)
                // failed or cancelled tasks by id.
                "DROP INDEX IF EXISTS delivery_tasks_unsuccessful_idx",
                "CREATE INDEX IF NOT EXISTS delivery_tasks_unsuccessful_created_idx ON delivery_tasks (created_at) WHERE status IN ('failed', 'cancelled')",
            ]),
        Migration(
            version: 15, name: "retention: old events and tasks found by time",
            sql: [
                // `RetentionStore` deletes events and finished tasks older than the retention period.
                // Both tables are written in time order, so a BRIN index (a summary per block range,
                // almost free to maintain on insert) finds the old rows without a B-tree on the hot path.
                "CREATE INDEX IF NOT EXISTS events_received_brin ON events USING brin (received_at)",
                "CREATE INDEX IF NOT EXISTS delivery_tasks_created_brin ON delivery_tasks USING brin (created_at)",
            ]),
        Migration(
            version: 16, name: "events: identity scoped by tenant",
            sql: [
                // Event ids come from publishers: unique within a tenant, never across tenants. The key is
                // (tenant_scope, id), where tenant_scope is the tenant id, or -1 for a tenant-less
                // (system) event, which forms a scope of its own. Ids were globally unique until now,
                // so every task finds its event's scope unambiguously.
                "ALTER TABLE events ADD COLUMN tenant_scope BIGINT GENERATED ALWAYS AS (COALESCE(tenant_id, -1)) STORED",
                "ALTER TABLE events DROP CONSTRAINT events_pkey",
                "ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (tenant_scope, id)",
                "ALTER TABLE delivery_tasks ADD COLUMN event_scope BIGINT NOT NULL DEFAULT -1",
                """
                UPDATE delivery_tasks t SET event_scope = e.tenant_scope
                FROM events e WHERE e.id = t.event_id AND e.tenant_scope <> -1
                """,
                // Every writer names the scope from now on.
                "ALTER TABLE delivery_tasks ALTER COLUMN event_scope DROP DEFAULT",
                "ALTER TABLE delivery_tasks DROP CONSTRAINT delivery_tasks_event_webhook_unique",
                """
                ALTER TABLE delivery_tasks ADD CONSTRAINT delivery_tasks_event_webhook_unique
                    UNIQUE (event_scope, event_id, webhook_id)
                """,
            ]),
        Migration(version: 17, name: "webhooks delivery cannot send are disabled, saying why", sql: [disableUndeliverableWebhooks]),
        Migration(
            version: 18, name: "registry: test sends recorded as attempts",
            sql: [
                // The registry's test sends are logged with the deliveries, marked, and kept out of the
                // statistics. A constant default is kept in the catalogue (no table rewrite), and
                // delivery's batch insert does not name the column: its hot path is unchanged.
                "ALTER TABLE delivery_attempts ADD COLUMN IF NOT EXISTS is_test BOOLEAN NOT NULL DEFAULT FALSE",
                // A test send belongs to no task (a catalogue change, no scan).
                "ALTER TABLE delivery_attempts ALTER COLUMN task_id DROP NOT NULL",
            ]),
        Migration(
            version: 19, name: "webhooks: compiled size of each resource_key_pattern",
            sql: [
                // RE2 program size, for the per-tenant pattern budgets (`PatternBudget`). Rows written
                // before have none; the registry measures those when it checks a budget.
                "ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS pattern_size INTEGER"
            ]),
        Migration(
            version: 20, name: "delivery attempts: the request body is rebuilt from the event, not stored again",
            sql: [
                // A delivery attempt's body is its event's canonical body (`WebhookRequest.body(for:)` of
                // `events.payload`): the log views rebuild it from the event found by (event_scope,
                // event_id), so delivery stops writing a second copy (~1 KiB) per attempt. Rows written
                // before keep their body, and test sends (which have no event row) still store theirs.
                // Both are catalogue changes: no table rewrite.
                "ALTER TABLE delivery_attempts ALTER COLUMN request_body DROP NOT NULL",
                "ALTER TABLE delivery_attempts ADD COLUMN IF NOT EXISTS event_scope BIGINT",
            ]),
        Migration(
            version: AttemptPartitions.migrationVersion, name: "delivery attempts: one partition per day, dropped whole by retention",
            sql: AttemptPartitions.migration),
        Migration(
            version: 22, name: "delivery engine: each task written once, no per-row key check, one attempt index less",
            sql: [
                // The fan-out stage writes a task once, in its state after the first attempt, for the
                // webhooks its index matched: no per-row look-up on webhooks, and so no foreign-key
                // check either (a query and a row lock on the webhook per task). `WebhookStore.delete`
                // deletes a webhook's tasks with its attempts; a task written for a webhook deleted a
                // moment before is cancelled by the send stage or goes with retention.
                "ALTER TABLE delivery_tasks DROP CONSTRAINT IF EXISTS delivery_tasks_webhook_id_fkey",
                // No query looks attempts up by task: this index served the foreign key dropped by
                // migration 12, and cost an entry per attempt.
                "DROP INDEX IF EXISTS delivery_attempts_task_idx",
            ]),
    ]

    /// Disables every webhook whose URL or headers break the rules the registry now enforces
    /// (`WebhookValidation`), with `disabled_reason` naming the first rule broken: such a row was
    /// accepted before, and delivery refuses it at send time or sends something it should not. An
    /// approximation of the rules in SQL; enabling the webhook again applies the exact rules.
    static let disableUndeliverableWebhooks = #"""
        WITH rows AS (
            SELECT w.id, w.url, w.signature_header AS sig, w.event_header AS evt,
                   CASE WHEN jsonb_typeof(w.headers) = 'object' THEN w.headers ELSE '{}'::jsonb END AS headers,
                   jsonb_typeof(w.headers) = 'object' AS headers_are_object,
                   substring(w.url FROM '^[A-Za-z][A-Za-z0-9+.-]*://(?:\[[^]/?#]*\]|[^/?#:@\[]*):([^/?#]*)') AS port
            FROM webhooks w
        ), reserved AS (
            SELECT unnest(ARRAY['host', 'content-length', 'transfer-encoding', 'connection', 'content-type', 'user-agent',
                                'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'webhook-id', 'webhook-timestamp',
                                'webhook-signature']) AS name
        ), verdict AS (
            SELECT r.id, CASE
                WHEN r.url ~ '[\x01-\x20\x7f-\xa0\u00ad\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]'
                    THEN 'the URL contains spaces, line breaks or other control characters'
                WHEN octet_length(r.url) > 2048 THEN 'the URL is longer than 2048 bytes'
                WHEN r.url !~* '^https?://[^/?#]' THEN 'the URL is not an absolute http or https URL with a host'
                WHEN r.url ~ '^[^:]*://[^/?#]*@' THEN 'the URL contains credentials'
                WHEN r.port IS NOT NULL AND CASE WHEN r.port ~ '^[0-9]{1,5}$' THEN r.port::int NOT BETWEEN 1 AND 65535 ELSE true END
                    THEN 'the URL''s port is not a number from 1 to 65535'
                WHEN NOT r.headers_are_object THEN 'the custom headers are not an object of names and values'
                WHEN (SELECT count(*) FROM jsonb_object_keys(r.headers)) > 50 THEN 'it has more than 50 custom headers'
                WHEN r.sig !~ '^[-!#$%&''*+.^_`|~0-9A-Za-z]{1,128}$' OR r.evt !~ '^[-!#$%&''*+.^_`|~0-9A-Za-z]{1,128}$'
                    THEN 'its signature or event header name is not a valid header name'
                WHEN lower(r.sig) IN (SELECT name FROM reserved) OR lower(r.evt) IN (SELECT name FROM reserved)
                    OR lower(r.sig) LIKE 'proxy-%' OR lower(r.evt) LIKE 'proxy-%' OR lower(r.sig) = lower(r.evt)
                    THEN 'its signature or event header name is one the platform sets'
                WHEN EXISTS (SELECT 1 FROM jsonb_object_keys(r.headers) k WHERE k !~ '^[-!#$%&''*+.^_`|~0-9A-Za-z]{1,128}$')
                    THEN 'a custom header name is not a valid header name'
                WHEN EXISTS (SELECT 1 FROM jsonb_object_keys(r.headers) k
                             WHERE lower(k) IN (SELECT name FROM reserved) OR lower(k) LIKE 'proxy-%' OR lower(k) IN (lower(r.sig), lower(r.evt)))
                    THEN 'custom header ''' || (SELECT k FROM jsonb_object_keys(r.headers) k
                             WHERE lower(k) IN (SELECT name FROM reserved) OR lower(k) LIKE 'proxy-%' OR lower(k) IN (lower(r.sig), lower(r.evt))
                             ORDER BY k LIMIT 1) || ''' is one the platform sets'
                WHEN (SELECT count(DISTINCT lower(k)) < count(*) FROM jsonb_object_keys(r.headers) k)
                    THEN 'a custom header is given twice (names ignore case)'
                WHEN EXISTS (SELECT 1 FROM jsonb_each(r.headers) h
                             WHERE jsonb_typeof(h.value) <> 'string' OR octet_length(h.value #>> '{}') > 4096
                                OR (h.value #>> '{}') ~ '[\x01-\x08\x0a-\x1f\x7f]')
                    THEN 'a custom header value is not one line of text of at most 4096 bytes'
                END AS reason
            FROM rows r
        )
        UPDATE webhooks w
        SET status = 'disabled', updated_at = now(),
            disabled_reason = 'disabled by an upgrade: ' || v.reason || '; correct it, then enable the webhook'
        FROM verdict v
        WHERE v.id = w.id AND v.reason IS NOT NULL
        """#
}
