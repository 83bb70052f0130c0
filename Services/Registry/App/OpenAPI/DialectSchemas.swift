/// The shapes of the tenant-parameter, bkrepo and FastAPI-style dialects and of ingest, as the
/// views in `Dialects/` and `EventController` write them.
enum DialectSchemas {
    typealias Node = Schema.Node

    static let components: [String: Node] = [
        "TenantQueryWebhook": Schema.object(
            [
                "id": Schema.integer, "webhook_id": Schema.integer, "tenant_id": Schema.integer, "name": Schema.string, "url": Schema.string,
                "events": Schema.array(Schema.string), "filter": Schema.filter, "rate_limit": Schema.rateLimit, "max_in_flight": Schema.maxInFlight,
                "retry_schedule": Schema.retrySchedule, "status": Schema.webhookStatus, "enabled": Schema.boolean, "created_at": Schema.dateTime,
            ],
            required: [
                "id", "webhook_id", "tenant_id", "name", "url", "events", "filter", "rate_limit", "max_in_flight", "retry_schedule", "status",
                "enabled", "created_at",
            ]),
        "IDResult": Schema.object(["id": Schema.integer], required: ["id"]),
        "IDRequest": Schema.object(["id": Schema.described(Schema.integer, "the webhook's or task's id")], required: ["id"]),
        "BkRepoWebhook": Schema.object(
            [
                "id": Schema.described(Schema.string, "the webhook id as a string"), "url": Schema.string,
                "token": Schema.described(Schema.string, "the signing secret; admins, detail only"), "triggers": Schema.array(Schema.string),
                "headers": Schema.map(Schema.string), "resourceKeyPattern": Schema.nullable("string"), "filter": Schema.filter,
                "rateLimit": Schema.rateLimit, "maxInFlight": Schema.maxInFlight, "retrySchedule": Schema.retrySchedule,
                "associationType": Schema.associationType, "associationId": Schema.nullable("string"), "enabled": Schema.boolean,
                "status": Schema.webhookStatus,
                "createdBy": Schema.string, "createdDate": Schema.dateTime, "lastModifiedBy": Schema.string, "lastModifiedDate": Schema.dateTime,
            ],
            required: [
                "id", "url", "triggers", "headers", "resourceKeyPattern", "filter", "rateLimit", "maxInFlight", "retrySchedule", "associationType",
                "associationId", "enabled", "status",
                "createdBy", "createdDate", "lastModifiedBy", "lastModifiedDate",
            ]),
        "BkRepoWebhookInput": bkRepoInput,
        "BkRepoLog": Schema.object(
            [
                "id": Schema.described(Schema.string, "the log id (a test send that could not be recorded: its event id)"),
                "webHookId": Schema.string, "webHookUrl": Schema.string, "webhookUrl": Schema.described(Schema.string, "the same as webHookUrl"),
                "triggeredEvent": Schema.string, "requestHeaders": Schema.map(Schema.string), "requestPayload": Schema.nullable("string"),
                "status": Schema.strings(["SUCCESS", "FAIL"]), "responseHeaders": Schema.map(Schema.string), "responseBody": Schema.nullable("string"),
                "requestDuration": Schema.described(Schema.integer, "milliseconds"), "requestTime": Schema.dateTime,
                "errorMsg": Schema.nullable("string"), "test": Schema.described(Schema.boolean, "a test send, not a delivery"),
            ],
            required: [
                "id", "webHookId", "webHookUrl", "webhookUrl", "triggeredEvent", "requestHeaders", "requestPayload", "status",
                "responseHeaders", "responseBody", "requestDuration", "requestTime", "errorMsg", "test",
            ]),
        "LogPage": Schema.object(
            [
                "items": Schema.array(Schema.ref("Attempt")), "total": Schema.integer, "limit": Schema.integer,
                "hours": Schema.described(Schema.nullable("integer"), "the window of /api/webhooks/logs/recent; null for one webhook's logs"),
            ], required: ["items", "total", "limit", "hours"]),
        "Event": event,
        "EventsAccepted": Schema.object(
            [
                "code": ["type": "integer", "enum": [0]], "message": Schema.string,
                "data": Schema.object(["ids": Schema.array(Schema.string), "count": Schema.integer], required: ["ids", "count"]),
            ], required: ["code", "message", "data"]),
        "EventsUnconfirmed": Schema.object(
            [
                "code": Schema.strings(["E_BROKER_UNAVAILABLE"]), "message": Schema.string,
                "data": Schema.object(["accepted": Schema.array(Schema.string), "failed": Schema.array(Schema.string)], required: ["accepted", "failed"]),
            ], required: ["code", "message", "data"]),
    ]

    /// bkrepo's create and update body (the same decoder as every dialect's, in bkrepo's spelling).
    static let bkRepoInput: Node = {
        let properties: [String: Node] = [
            "id": ["type": ["string", "integer"], "description": "update only: the webhook id, as a string of digits or a number"],
            "url": Schema.string, "token": Schema.described(Schema.string, "the signing secret; generated when empty or absent"),
            "triggers": Schema.described(Schema.eventFilters, "event types; required on create"),
            "headers": Schema.headers, "resourceKeyPattern": Schema.nullable("string"), "filter": Schema.filter,
            "rateLimit": Schema.rateLimit, "maxInFlight": Schema.maxInFlight, "retrySchedule": Schema.retrySchedule,
            "associationType": Schema.associationType, "associationId": Schema.nullable("string"),
            "association_type": Schema.associationType, "association_id": Schema.nullable("string"), "enabled": Schema.boolean,
        ]
        return [
            "type": "object", "properties": properties,
            "description": "Also takes the canonical snake_case fields (see WebhookInput). Fields not sent keep their value on update.",
        ]
    }()

    /// One event as ingest takes it.
    static let event: Node = Schema.object(
        additionalProperties: false,
        [
            "id": Schema.described(Schema.string, "1 to 128 characters without white space; absent: derived from Idempotency-Key, or random"),
            "type": Schema.described(Schema.string, "dot-separated words of letters, digits, '_', '-' or ':', e.g. job.failed"),
            "occurred_at": Schema.described(Schema.dateTime, "RFC 3339; absent: now"),
            "tenant_id": Schema.described(Schema.integer, "absent: the token's tenant, or every tenant for a tenant-less token"),
            "association_type": Schema.associationType,
            "association_id": Schema.described(Schema.string, "projectId for PROJECT, projectId:repoName for REPO"),
            "resource_key": Schema.described(Schema.string, "matched against webhooks' resource_key_pattern"),
            "data": Schema.described(["type": "object"], "the event's payload"),
        ], required: ["type"])
}
