/// The canonical API's paths (`/api/v1`, `CanonicalWebhookRoutes`, `CanonicalTaskRoutes`, `AccountRoutes`).
enum CanonicalPaths {
    typealias Node = Schema.Node
    typealias Ex = OpenAPIExamples

    static let admin = ["admin"]
    static let readers = ["admin", "viewer"]

    static func op(
        _ id: String, _ summary: String, tag: String, roles: [String], params: [Node] = [],
        body: (schema: Node, example: any Sendable)? = nil, ok: OpenAPIOperation.Answer, errors: [Int] = [],
        description: String? = nil
    ) -> Node {
        OpenAPIOperation.make(
            id, summary, tag: tag, roles: roles, envelope: .canonical, params: params, body: body, ok: ok,
            errors: errors, description: description)
    }

    static func param(_ name: String, _ schema: Node = Schema.string, _ description: String = "") -> Node {
        OpenAPIOperation.param(name, schema, description)
    }

    static let webhookID = OpenAPIOperation.pathID("webhook_id", "webhook id")
    static let taskID = OpenAPIOperation.pathID("task_id", "task id")
    static let logID = OpenAPIOperation.pathID("log_id", "log id")
    static let pageParams = [param("page", Schema.integer(1, 1_000_000), "from 1"), param("page_size", Schema.integer(1, 100), "1 to 100, default 20")]
    static let positive: Node = ["type": "integer", "minimum": 1]
    static let attemptFilters = [
        param("status", Schema.strings(["success", "failed"]), "success or failed"), param("event_type"),
        param("since", Schema.dateTime), param("until", Schema.dateTime),
        param("test", Schema.boolean, "true: test sends only; false: deliveries only; absent: both"),
    ]

    static let webhook = Schema.envelope(Schema.ref("Webhook"))
    static let input = (schema: Schema.ref("WebhookInput"), example: Ex.webhookInput as any Sendable)
    static let taskPage = Schema.envelope(Schema.page(Schema.ref("Task")))
    static let attemptPage = Schema.envelope(Schema.page(Schema.ref("Attempt")))
    static func pageOf(_ item: Node) -> Node { ["items": [item], "pagination": Ex.pagination] }

    /// `GET /api/v1/events` (the registry's; `POST` on the same path is ingest's, in `ServicePaths`).
    static let listEvents = op(
        "listEvents", "List stored events, newest arrival first", tag: "events", roles: readers,
        params: pageParams + [
            param("type", Schema.string, "exactly this event type"), param("resource_key", Schema.string, "exactly this resource key"),
            param("since", Schema.dateTime, "received at or after"), param("until", Schema.dateTime, "received before"),
            param("tenant_id", positive, "operators only: the events' tenant (without it: tenant-less events)"),
        ],
        ok: .init(
            200, Schema.envelope(Schema.page(Schema.ref("StoredEvent"))), "a page of events",
            example: Ex.canonical(pageOf(eventDetail["event"] as! Node))),
        description: "A tenant sees its own events only; another tenant's tenant_id is 403. Each item is what GET /api/v1/events/{event_id} shows as its event."
    )

    static let paths: [String: Node] = webhookPaths.merging(taskPaths) { a, _ in a }.merging(accountPaths) { a, _ in a }
        .merging(PortalSessionPaths.paths) { a, _ in a }

    static let webhookPaths: [String: Node] = [
        "/api/v1/webhooks": [
            "get": op(
                "listWebhooks", "List webhooks", tag: "webhooks", roles: readers,
                params: pageParams + [
                    param("tenant_id", positive), param("status", Schema.webhookStatus),
                    param("event_type", Schema.string, "webhooks whose filters select this type"),
                    param("association_type", Schema.associationType), param("association_id"),
                ],
                ok: .init(
                    200, Schema.envelope(Schema.page(Schema.ref("Webhook"))), "a page of webhooks (secrets never listed)",
                    example: Ex.canonical(pageOf(Ex.listedWebhook)))),
            "post": op(
                "createWebhook", "Create a webhook", tag: "webhooks", roles: admin, body: input,
                ok: .init(201, webhook, "the created webhook, with its secret", example: Ex.canonical(Ex.webhook, "Webhook created")),
                errors: [409, 422]),
        ] as Node,
        "/api/v1/webhooks/{webhook_id}": [
            "get": op(
                "getWebhook", "Get a webhook", tag: "webhooks", roles: readers, params: [webhookID],
                ok: .init(200, webhook, "the webhook (the secret for admins only)", example: Ex.canonical(Ex.webhook))),
            "put": op(
                "updateWebhook", "Update a webhook (fields not sent keep their value)", tag: "webhooks", roles: admin, params: [webhookID],
                body: input, ok: .init(200, webhook, "the updated webhook", example: Ex.canonical(Ex.webhook, "Webhook updated")),
                errors: [409, 422]),
            "patch": op(
                "patchWebhook", "Update some fields of a webhook", tag: "webhooks", roles: admin, params: [webhookID],
                body: input, ok: .init(200, webhook, "the updated webhook", example: Ex.canonical(Ex.webhook, "Webhook updated")),
                errors: [409, 422]),
            "delete": op(
                "deleteWebhook", "Delete a webhook with its tasks and logs", tag: "webhooks", roles: admin, params: [webhookID],
                ok: .init(204, nil, "deleted")),
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/enable": [
            "post": op(
                "enableWebhook", "Enable a webhook (also clears an auto-disable)", tag: "webhooks", roles: admin, params: [webhookID],
                ok: .init(200, webhook, "the webhook", example: Ex.canonical(Ex.listedWebhook, "Webhook enabled")))
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/disable": [
            "post": op(
                "disableWebhook", "Disable a webhook", tag: "webhooks", roles: admin, params: [webhookID],
                ok: .init(200, webhook, "the webhook", example: Ex.canonical(Ex.listedWebhook, "Webhook disabled")))
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/rotate-secret": [
            "post": op(
                "rotateWebhookSecret", "Rotate the signing secret; the old one keeps signing during the grace period", tag: "webhooks",
                roles: admin, params: [webhookID],
                body: (
                    Schema.object([
                        "secret": Schema.described(Schema.string, "absent: generated"),
                        "grace_period_seconds": Schema.described(Schema.integer(0, 2_592_000), "default 86400"),
                    ]),
                    ["grace_period_seconds": 3600] as Node
                ),
                ok: .init(200, webhook, "the webhook with its new secret", example: Ex.canonical(Ex.webhook, "Secret rotated")))
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/test": [
            "post": op(
                "testWebhook", "Send a WEBHOOK_TEST event now and report the answer", tag: "webhooks", roles: admin, params: [webhookID],
                ok: .init(
                    200, Schema.envelope(Schema.ref("TestResult")), "what the endpoint answered (a refused or failed send is success: false)",
                    example: Ex.canonical(Ex.testResult, "Test request sent")),
                description: "Signed and SSRF-guarded as delivery sends; recorded in the webhook's logs as a test send.")
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/logs": [
            "get": op(
                "listWebhookLogs", "Delivery attempts and test sends of a webhook, newest first", tag: "logs", roles: readers,
                params: [webhookID] + pageParams + attemptFilters,
                ok: .init(200, attemptPage, "a page of attempts", example: Ex.canonical(pageOf(Ex.attempt))))
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/stats": [
            "get": op(
                "getWebhookStats", "Outcome counts, success rate and latency percentiles of the deliveries", tag: "logs", roles: readers,
                params: [webhookID, param("hours", Schema.integer(1, 720), "window, default 24")],
                ok: .init(
                    200, Schema.envelope(Schema.ref("Stats")), "statistics (test sends only in test_attempts)",
                    example: Ex.canonical(Ex.stats)))
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/tasks": [
            "get": op(
                "listWebhookTasks", "Delivery tasks of a webhook", tag: "tasks", roles: readers,
                params: [webhookID] + pageParams + [param("status", Schema.taskStatus)],
                ok: .init(200, taskPage, "a page of tasks", example: Ex.canonical(pageOf(Ex.task))))
        ] as Node,
    ]

    static let taskPaths: [String: Node] = [
        "/api/v1/tasks": [
            "get": op(
                "listTasks", "List delivery tasks", tag: "tasks", roles: readers,
                params: pageParams + [param("status", Schema.taskStatus), param("webhook_id", positive), param("tenant_id", positive)],
                ok: .init(200, taskPage, "a page of tasks", example: Ex.canonical(pageOf(Ex.task))))
        ] as Node,
        "/api/v1/tasks/{task_id}": [
            "get": op(
                "getTask", "Get a task", tag: "tasks", roles: readers, params: [taskID],
                ok: .init(200, Schema.envelope(Schema.ref("Task")), "the task", example: Ex.canonical(Ex.task)))
        ] as Node,
        "/api/v1/tasks/{task_id}/retry": [
            "post": op(
                "retryTask", "Retry a task now (status retry, due now, handed to delivery)", tag: "tasks", roles: admin, params: [taskID],
                ok: .init(202, Schema.envelope(Schema.ref("Task")), "scheduled", example: Ex.canonical(Ex.task, "Task scheduled for retry")))
        ] as Node,
        "/api/v1/tasks/recover": [
            "post": op(
                "recoverTasks", "Re-enqueue the failed tasks created in a time range", tag: "tasks", roles: admin,
                body: (
                    Schema.object(
                        [
                            "since": Schema.dateTime, "until": Schema.dateTime, "webhook_id": positive,
                            "limit": Schema.described(Schema.integer(1, 1000), "default 1000"),
                        ], required: ["since"]),
                    ["since": Ex.time, "webhook_id": 42] as Node
                ),
                ok: .init(
                    202, Schema.envelope(Schema.ref("Recovered")), "the tasks scheduled",
                    example: Ex.canonical(["count": 1, "task_ids": [1001]] as Node, "1 failed task(s) scheduled for retry")),
                errors: [404])
        ] as Node,
        "/api/v1/logs": [
            "get": op(
                "listLogs", "Delivery attempts and test sends of every visible webhook, newest first", tag: "logs", roles: readers,
                params: pageParams + [param("webhook_id", positive)] + attemptFilters,
                ok: .init(200, attemptPage, "a page of attempts", example: Ex.canonical(pageOf(Ex.attempt))))
        ] as Node,
        "/api/v1/logs/{log_id}": [
            "get": op(
                "getLog", "Get one attempt", tag: "logs", roles: readers, params: [logID],
                ok: .init(200, Schema.envelope(Schema.ref("Attempt")), "the attempt", example: Ex.canonical(Ex.attempt)))
        ] as Node,
        "/api/v1/logs/{log_id}/retry": [
            "post": op(
                "retryLog", "Retry the task of an attempt now", tag: "logs", roles: admin, params: [logID],
                ok: .init(202, Schema.envelope(Schema.ref("Task")), "scheduled", example: Ex.canonical(Ex.task, "Task scheduled for retry")),
                errors: [409], description: "A test send has no task: 409 E_LOG_NOT_RETRYABLE.")
        ] as Node,
        "/api/v1/events/{event_id}": [
            "get": op(
                "getEvent", "An event with every task it has and every attempt of those tasks", tag: "events", roles: readers,
                params: [
                    OpenAPIOperation.param("event_id", in: "path", Schema.string, "the publisher's event id"),
                    param("tenant_id", positive, "operators only: the event's tenant (without it: a tenant-less event)"),
                ],
                ok: .init(200, Schema.envelope(Schema.ref("EventDetail")), "the event, its tasks and their attempts", example: Ex.canonical(eventDetail)),
                description: "A tenant sees its own events only; 404 E_NOT_FOUND for an event it may not see.")
        ] as Node,
        "/api/v1/patterns/validate": [
            "post": op(
                "validatePattern", "Check a resource_key_pattern as creating a webhook would, saving nothing", tag: "webhooks",
                roles: readers,
                body: (
                    Schema.object(["resource_key_pattern": Schema.string], required: ["resource_key_pattern"]),
                    ["resource_key_pattern": "^env-(prod|stage"] as Node
                ),
                ok: .init(
                    200,
                    Schema.envelope(
                        Schema.object(
                            [
                                "valid": Schema.boolean, "error_code": Schema.nullable("string"), "message": Schema.nullable("string"),
                                "position": Schema.described(Schema.nullable("integer"), "1-based character where the pattern goes wrong, when known"),
                                "reason": Schema.nullable("string"),
                            ], required: ["valid", "error_code", "message", "position", "reason"])),
                    "the verdict (an invalid pattern is a 200 with valid false)",
                    example: Ex.canonical(
                        [
                            "valid": false, "error_code": "E_INVALID_PATTERN",
                            "message": "'resource_key_pattern' invalid pattern at position 5: missing )", "position": 5, "reason": "missing )",
                        ] as Node)),
                description: "What the web console calls while a pattern is typed: the same check, error code and position as create and update.")
        ] as Node,
    ]

    static let eventDetail: Node = [
        "event": [
            "id": "evt_01", "type": "job.failed", "tenant_id": 7, "resource_key": "project/api", "occurred_at": Ex.time,
            "received_at": Ex.time, "data": ["job": "build-42"] as Node,
        ] as Node,
        "tasks": [
            [
                "task_id": 1001, "webhook_id": 42, "webhook_name": "ci alerts", "url": "https://example.com/hooks/ci", "status": "success",
                "attempts": 2, "next_try_at": Ex.null, "last_status_code": 200,
            ] as Node
        ],
        "attempts": [
            [
                "id": 5001, "task_id": 1001, "webhook_id": 42, "attempt": 1, "success": false, "response_status": 503, "duration_ms": 120,
                "created_at": Ex.time, "replayed": false, "job_id": Ex.null,
            ] as Node,
            [
                "id": 5002, "task_id": 1001, "webhook_id": 42, "attempt": 2, "success": true, "response_status": 200, "duration_ms": 85,
                "created_at": Ex.time, "replayed": false, "job_id": Ex.null,
            ] as Node,
        ],
    ]

    static let accountPaths: [String: Node] = [
        "/api/v1/users": [
            "get": op(
                "listUsers", "List users of the caller's tenant", tag: "accounts", roles: admin,
                ok: .init(
                    200, Schema.envelope(Schema.object(["items": Schema.array(Schema.ref("User"))], required: ["items"])), "users",
                    example: Ex.canonical(["items": [["id": 3, "username": "ops-viewer", "role": "viewer", "tenant_id": 7] as Node]] as Node))),
            "post": op(
                "createUser", "Create a user", tag: "accounts", roles: admin,
                body: (
                    Schema.object(
                        [
                            "username": [
                                "type": "string", "pattern": "^[A-Za-z0-9._@-]{3,64}$",
                                "description": "3 to 64 letters, digits or . _ - @",
                            ] as Node,
                            "password": ["type": "string", "minLength": 8, "maxLength": 128] as Node,
                            "role": Schema.role, "tenant_id": Schema.described(Schema.integer, "a tenant admin's own tenant only"),
                        ],
                        required: ["username", "password", "role"]),
                    ["username": "ops-viewer", "password": "change-me-please", "role": "viewer"] as Node
                ),
                ok: .init(
                    201, Schema.envelope(Schema.ref("User")), "the user",
                    example: Ex.canonical(["id": 3, "username": "ops-viewer", "role": "viewer", "tenant_id": 7] as Node, "User created")),
                errors: [409]),
        ] as Node,
        "/api/v1/tokens": [
            "post": op(
                "issuePublisherToken", "Issue a publisher token for an upstream system (ingest only)", tag: "accounts", roles: admin,
                body: (
                    Schema.object(
                        [
                            "subject": [
                                "type": "string", "minLength": 1, "maxLength": 128,
                                "description": "names the publishing system",
                            ] as Node,
                            "tenant_id": Schema.integer,
                            "expires_in": Schema.described(Schema.integer(60, 31_536_000), "seconds, default 30 days"),
                        ],
                        required: ["subject"]),
                    ["subject": "ci-pipeline", "expires_in": 86400] as Node
                ),
                ok: .init(
                    201, Schema.envelope(Schema.ref("Token")), "the token",
                    example: Ex.canonical(
                        [
                            "access_token": "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "token_type": "bearer", "expires_in": 86400,
                            "role": "publisher", "subject": "ci-pipeline", "tenant_id": 7,
                        ] as Node, "Token issued")))
        ] as Node,
    ]
}
