/// JSON Schema building blocks for the OpenAPI document (plain dictionaries, serialised once).
enum Schema {
    typealias Node = [String: any Sendable]

    static func ref(_ name: String) -> Node { ["$ref": "#/components/schemas/\(name)"] }
    static func type(_ name: String, nullable: Bool = false) -> Node {
        if nullable { return ["type": [name, "null"]] }
        return ["type": name]
    }
    static let string = type("string")
    static let integer = type("integer")
    static let boolean = type("boolean")
    static let number = type("number")
    static let null = type("null")
    static let dateTime: Node = ["type": "string", "format": "date-time"]
    static let nullableDateTime: Node = ["type": ["string", "null"], "format": "date-time"]
    static func nullable(_ name: String) -> Node { type(name, nullable: true) }
    static func array(_ items: Node) -> Node { ["type": "array", "items": items] }
    static func map(_ values: Node) -> Node { ["type": "object", "additionalProperties": values] }
    static func object(_ properties: [String: Node], required: [String] = []) -> Node {
        ["type": "object", "properties": properties, "required": required]
    }
    /// An object that refuses members other than `properties`.
    static func object(additionalProperties: Bool, _ properties: [String: Node], required: [String] = []) -> Node {
        ["type": "object", "properties": properties, "required": required, "additionalProperties": additionalProperties]
    }
    static func strings(_ values: [String]) -> Node { ["type": "string", "enum": values] }
    static func integer(_ minimum: Int, _ maximum: Int) -> Node { ["type": "integer", "minimum": minimum, "maximum": maximum] }
    static func described(_ schema: Node, _ text: String) -> Node {
        var schema = schema
        schema["description"] = text
        return schema
    }

    /// The canonical success envelope around `data`.
    static func envelope(_ data: Node) -> Node {
        object(["code": ["type": "integer", "enum": [0]], "message": string, "data": data], required: ["code", "message", "data"])
    }

    /// A page of `item`s with the canonical pagination.
    static func page(_ item: Node) -> Node {
        object(["items": array(item), "pagination": ref("Pagination")], required: ["items", "pagination"])
    }

    static let associationType = strings(["SYSTEM", "PROJECT", "REPO"])
    static let webhookStatus = strings(["active", "disabled", "auto-disabled"])
    static let taskStatus = strings(["pending", "retry", "success", "failed", "cancelled"])
    static let role = strings(["admin", "viewer", "publisher"])
    /// An event filter: an event type, `prefix.*` or `*` (`EventTypeFilter`).
    static let eventFilter: Node = [
        "type": "string", "maxLength": 130,
        "pattern": "^(\\*|[A-Za-z0-9_:-]+(\\.[A-Za-z0-9_:-]+)*(\\.\\*)?)$",
    ]
    static let eventFilters: Node = [
        "type": "array", "items": eventFilter, "minItems": 1, "maxItems": 256,
        "description": "exact types, `prefix.*` or `*`",
    ]
    /// A header name: an HTTP token (`HeaderValidation`).
    static let headerName: Node = ["type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"]
    /// Custom delivery headers: token names, values without control characters.
    static let headers: Node = [
        "type": "object", "maxProperties": 50, "propertyNames": headerName,
        "additionalProperties": ["type": "string", "maxLength": 4096, "pattern": "^[^\\x00-\\x1F\\x7F]*$"] as Node,
        "description": "extra headers sent with every delivery; the platform's own headers are refused",
    ]

    /// A webhook's payload filter (`PayloadFilter`), the same in every dialect.
    static let filter: Node = [
        "type": ["object", "null"],
        "description": """
        Payload filter: conditions on the event as its message body (`id`, `type`, `occurred_at`, `tenant_id`, \
        `association_type`, `association_id`, `resource_key`, `data`) that must all hold for the event to be delivered. \
        Members are `path: literal` or `path: {operators}` ($eq, $neq, $gt, $gte, $lt, $lte, $in, $nin, $exists, $regex, $not) \
        and $and, $or, $not of filter documents. Paths are dotted and start with an envelope field (`data.job.status`). \
        At most 16 levels, 256 conditions, 16384 bytes of canonical JSON. A refused filter answers 422 with an \
        E_FILTER_... code and the offending part's JSONPath in the message. Absent or null: no filter.
        """,
        "example": ["type": "job.failed", "data.attempts": ["$gte": 3] as Node, "data.env": ["$in": ["prod", "stage"]] as Node] as Node,
    ]

    /// An event type's data schema (`JSONSchema`).
    static let eventTypeSchema: Node = [
        "type": ["object", "null"],
        "description": "JSON Schema (the subset the catalogue supports) that an event's data must conform to under INGEST_CATALOGUE=strict; null: any data",
        "example": ["type": "object", "required": ["amount"], "properties": ["amount": ["type": "number", "minimum": 0] as Node] as Node] as Node,
    ]

    /// A webhook's own rate limit, the same in every dialect.
    static let rateLimit: Node = [
        "type": ["integer", "null"], "minimum": 1, "maximum": 100_000,
        "description": "requests per second to this endpoint; null (or absent on create): delivery's DELIVERY_ENDPOINT_RATE",
    ]

    /// A webhook's own cap on requests in flight, the same in every dialect.
    static let maxInFlight: Node = [
        "type": ["integer", "null"], "minimum": 1, "maximum": 1000,
        "description": "requests in flight to this endpoint; null (or absent on create): delivery's DELIVERY_ENDPOINT_CONCURRENCY",
    ]

    /// A webhook's own retry schedule, the same in every dialect.
    static let retrySchedule: Node = [
        "type": ["array", "null"], "minItems": 1, "maxItems": 20,
        "items": ["type": "integer", "minimum": 1, "maximum": 86_400] as Node,
        "description": """
        seconds between attempts (the n-th entry after the n-th failed attempt; the last repeats), each with ±10 % jitter \
        and served through delivery's retry tiers as DELIVERY_RETRY_SCHEDULE is; null (or absent on create): DELIVERY_RETRY_SCHEDULE
        """,
        "example": [1, 10, 60] as [Int],
    ]

    /// Every component schema: the shared resources, the dialects' own shapes and the error envelopes.
    static let components: [String: Node] =
        shared
        .merging(DialectSchemas.components) { first, _ in first }
        .merging(ErrorEnvelope.components) { first, _ in first }
        .merging(JobPaths.schemas) { first, _ in first }

    static let shared: [String: Node] = [
        "Pagination": object(
            ["page": integer, "page_size": integer, "total": integer, "total_pages": integer],
            required: ["page", "page_size", "total", "total_pages"]),
        "Webhook": object(
            [
                "webhook_id": integer, "id": integer, "tenant_id": integer, "name": string, "description": string,
                "url": string, "secret": described(string, "only in admin detail responses"),
                "headers": map(string), "events": array(string), "resource_key_pattern": nullable("string"), "filter": filter,
                "association_type": associationType, "association_id": nullable("string"),
                "enabled": boolean, "status": webhookStatus,
                "disabled_reason": nullable("string"), "retry_enabled": boolean, "max_attempts": integer,
                "rate_limit": rateLimit, "max_in_flight": maxInFlight, "retry_schedule": retrySchedule,
                "signature_header": string, "event_header": string, "created_by": string, "updated_by": string,
                "created_at": dateTime, "updated_at": dateTime, "last_error": nullable("string"),
                "previous_secret_expires_at": nullableDateTime,
            ],
            required: [
                "webhook_id", "id", "tenant_id", "name", "description", "url", "headers", "events", "resource_key_pattern", "filter",
                "association_type", "association_id", "enabled", "status", "disabled_reason", "retry_enabled", "max_attempts",
                "rate_limit", "max_in_flight", "retry_schedule",
                "signature_header", "event_header", "created_by", "updated_by", "created_at", "updated_at", "last_error",
                "previous_secret_expires_at",
            ]),
        "WebhookInput": webhookInput,
        "Attempt": object(
            [
                "log_id": integer, "task_id": integer, "event_id": string, "event_type": string, "attempt": integer,
                "request_url": string, "request_headers": map(string), "request_body": nullable("string"), "status_code": nullable("integer"),
                "response_headers": map(string), "response_body": nullable("string"), "duration_ms": integer,
                "error": nullable("string"), "success": boolean, "created_at": dateTime,
                "test": described(boolean, "a test send of the registry (event type WEBHOOK_TEST, task_id 0): not a delivery, never retried, not in the stats"),
                "replayed": described(boolean, "made for a replay or recovery job (/api/v1/jobs), not for the event's own delivery"),
                "job_id": described(nullable("integer"), "that job"),
            ],
            required: [
                "log_id", "task_id", "event_id", "event_type", "attempt", "request_url", "request_headers", "request_body", "status_code",
                "response_headers", "response_body", "duration_ms", "error", "success", "created_at", "test", "replayed", "job_id",
            ]),
        "Task": object(
            [
                "id": integer, "task_id": integer, "event": string, "event_type": string, "event_id": string, "webhook_id": integer,
                "tenant_id": integer, "url": string, "status": taskStatus,
                "retries": integer, "next_try_at": nullableDateTime, "last_status_code": nullable("integer"),
                "last_error": nullable("string"), "created_at": dateTime, "updated_at": dateTime,
            ],
            required: [
                "id", "task_id", "event", "event_type", "event_id", "webhook_id", "tenant_id", "url", "status", "retries",
                "next_try_at", "last_status_code", "last_error", "created_at", "updated_at",
            ]),
        "Stats": object(
            [
                "webhook_id": integer, "window_hours": integer, "since": dateTime, "total": integer, "succeeded": integer, "failed": integer,
                "total_deliveries": integer, "successful_deliveries": integer, "failed_deliveries": integer,
                "success_rate": nullable("number"), "avg_response_time_ms": nullable("number"), "p50_ms": nullable("number"),
                "p95_ms": nullable("number"), "p99_ms": nullable("number"),
                "last_attempt_at": nullableDateTime, "tasks": map(integer),
                "test_attempts": described(integer, "test sends in the window; they count in none of the other figures"),
                "bucket_seconds": described(integer, "width of each series bucket: 3600 up to 48 hours, 21600 up to 336, else 86400"),
                "series": described(
                    array(
                        object(
                            [
                                "start": described(dateTime, "a multiple of bucket_seconds since the Unix epoch"), "succeeded": integer,
                                "failed": integer, "p50_ms": nullable("number"), "p95_ms": nullable("number"),
                            ], required: ["start", "succeeded", "failed", "p50_ms", "p95_ms"])),
                    "delivery attempts of the window per bucket, oldest first; buckets without attempts are left out"),
            ],
            required: [
                "webhook_id", "window_hours", "since", "total", "succeeded", "failed", "total_deliveries", "successful_deliveries",
                "failed_deliveries", "success_rate", "avg_response_time_ms", "p50_ms", "p95_ms", "p99_ms", "last_attempt_at",
                "tasks", "test_attempts", "bucket_seconds", "series",
            ]),
        "TestResult": object(
            [
                "success": boolean, "status_code": nullable("integer"), "response_time": integer, "response_time_ms": integer,
                "response_headers": map(string), "response_body": nullable("string"), "error": nullable("string"),
                "event_id": string, "event_type": string, "message_id": string, "request_url": string,
                "request_headers": map(string), "request_body": string, "sent_at": dateTime,
                "log_id": described(nullable("integer"), "the test send in the webhook's logs; null when it could not be recorded"),
            ],
            required: [
                "success", "status_code", "response_time", "response_time_ms", "response_headers", "response_body", "error",
                "event_id", "event_type", "message_id", "request_url", "request_headers", "request_body", "sent_at", "log_id",
            ]),
        "EventType": object(
            [
                "type": string, "description": string, "category": string,
                "schema": described(["type": ["object", "null"]] as Node, "the JSON Schema document data must conform to; null: any data"),
                "deprecated": boolean, "created_at": dateTime, "updated_at": dateTime,
            ],
            required: ["type", "description", "category", "schema", "deprecated", "created_at", "updated_at"]),
        "EventTypeInput": object(
            additionalProperties: false,
            [
                "type": EventTypePaths.typeParam["schema"] as! Node,
                "description": ["type": "string", "maxLength": 1000] as Node, "category": ["type": "string", "maxLength": 64] as Node,
                "schema": eventTypeSchema, "deprecated": boolean,
            ],
            required: ["type"]),
        "EventTypeUpdate": object(
            additionalProperties: false,
            [
                "description": ["type": "string", "maxLength": 1000] as Node, "category": ["type": "string", "maxLength": 64] as Node,
                "schema": eventTypeSchema, "deprecated": boolean,
            ]),
        "User": object(
            ["id": integer, "username": string, "role": role, "tenant_id": nullable("integer")],
            required: ["id", "username", "role", "tenant_id"]),
        "Token": object(
            [
                "access_token": string, "token_type": strings(["bearer"]), "expires_in": integer, "role": role, "subject": string,
                "tenant_id": nullable("integer"),
            ], required: ["access_token", "token_type", "expires_in", "role", "subject", "tenant_id"]),
        "Login": object(
            [
                "access_token": string, "token_type": strings(["bearer"]), "expires_in": integer, "role": role,
                "tenant_id": described(integer, "absent for a tenant-less user"),
            ], required: ["access_token", "token_type", "expires_in", "role"]),
        "StoredEvent": object(
            [
                "id": string, "type": string, "tenant_id": nullable("integer"), "resource_key": nullable("string"),
                "occurred_at": dateTime, "received_at": dateTime, "data": described([:], "the payload as stored"),
            ], required: ["id", "type", "tenant_id", "resource_key", "occurred_at", "received_at", "data"]),
        "EventDetail": object(
            [
                "event": Schema.ref("StoredEvent"),
                "tasks": array(
                    object(
                        [
                            "task_id": integer, "webhook_id": integer, "webhook_name": string, "url": string, "status": taskStatus,
                            "attempts": integer, "next_try_at": nullableDateTime, "last_status_code": nullable("integer"),
                        ],
                        required: ["task_id", "webhook_id", "webhook_name", "url", "status", "attempts", "next_try_at", "last_status_code"])),
                "attempts": array(
                    object(
                        [
                            "id": integer, "task_id": integer, "webhook_id": integer, "attempt": integer, "success": boolean,
                            "response_status": nullable("integer"), "duration_ms": integer, "created_at": dateTime,
                            "replayed": boolean, "job_id": nullable("integer"),
                        ],
                        required: [
                            "id", "task_id", "webhook_id", "attempt", "success", "response_status", "duration_ms", "created_at", "replayed",
                            "job_id",
                        ])),
            ], required: ["event", "tasks", "attempts"]),
        "PortalSession": object(
            [
                "id": described(string, "the session id (a UUID)"), "tenant_id": integer, "role": strings(["admin", "viewer"]),
                "created_by": string, "created_at": dateTime, "expires_at": dateTime, "revoked_at": nullableDateTime,
                "active": described(boolean, "neither revoked nor expired"),
            ], required: ["id", "tenant_id", "role", "created_by", "created_at", "expires_at", "revoked_at", "active"]),
        "PortalLink": object(
            [
                "id": string, "tenant_id": integer, "role": strings(["admin", "viewer"]), "created_by": string, "created_at": dateTime,
                "expires_at": dateTime, "token": described(string, "a bearer token acting for the tenant until expires_at or revocation"),
                "url": described(string, "the console link: /console/#token=<token>"),
            ], required: ["id", "tenant_id", "role", "created_by", "created_at", "expires_at", "token", "url"]),
        "Recovered": object(["count": integer, "task_ids": array(integer)], required: ["count", "task_ids"]),
    ]

    /// A webhook create or update body: every field optional on update; each dialect's spelling of a
    /// field is accepted (`events`/`triggers`, `secret`/`token`, snake_case or camelCase).
    static let webhookInput: Node = {
        var properties: [String: Node] = [
            "name": ["type": "string", "maxLength": 200], "description": ["type": "string", "maxLength": 2000],
            "url": described(string, "absolute http or https URL with a host; no credentials, white space or control characters"),
            "secret": ["type": "string", "maxLength": 64, "description": "at most 256 bytes; empty or absent: a whsec_... secret is generated"],
            "events": eventFilters,
            "enabled": boolean, "status": strings(["active", "disabled"]), "headers": headers,
            "tenant_id": integer, "resource_key_pattern": described(nullable("string"), "RE2 syntax, matched against the event's resource_key"),
            "filter": filter,
            "association_type": associationType, "association_id": described(nullable("string"), "projectId, or projectId:repoName for REPO"),
            "retry_enabled": boolean, "max_attempts": integer(1, 50), "signature_header": headerName, "event_header": headerName,
            "rate_limit": rateLimit, "max_in_flight": maxInFlight, "retry_schedule": retrySchedule,
        ]
        let aliases = [
            "triggers": "events", "token": "secret", "tenantId": "tenant_id", "resourceKeyPattern": "resource_key_pattern",
            "associationType": "association_type", "associationId": "association_id", "retryEnabled": "retry_enabled",
            "maxAttempts": "max_attempts", "signatureHeader": "signature_header", "eventHeader": "event_header",
            "rateLimit": "rate_limit", "maxInFlight": "max_in_flight", "retrySchedule": "retry_schedule",
        ]
        for (alias, name) in aliases { properties[alias] = described(properties[name]!, "the same as `\(name)`") }
        return [
            "type": "object", "properties": properties,
            "description": "Fields not sent keep their value; `null` clears optional fields. `url` is required on create.",
        ]
    }()
}
