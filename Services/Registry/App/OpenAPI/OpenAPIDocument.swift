import WebhookCore

/// The OpenAPI 3.1 document of the canonical API (`/api/v1`), served at `/openapi.json`. The other
/// dialects (tenant-parameter, bkrepo, FastAPI-style) are thin shapes over the same operations and are
/// described in the README.
enum OpenAPIDocument {
    typealias Node = Schema.Node

    /// The serialised document.
    static let json: [UInt8] = CanonicalJSON.encode(toJSON(document))

    static let document: Node = [
        "openapi": "3.1.0",
        "info": ["title": "Webhooks registry", "version": "1.0.0",
                 "description": "Manage webhook endpoints, delivery tasks and attempt logs. Every route needs `Authorization: Bearer <jwt>` except login, health and these docs. Errors are `{\"code\": \"E_...\", \"message\", \"data\": null}`."] as Node,
        "servers": [["url": "/"] as Node],
        "security": [["bearer": [String]()] as Node],
        "components": [
            "schemas": Schema.components,
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"] as Node] as Node,
        ] as Node,
        "paths": paths,
    ]

    // MARK: Building blocks.

    static func param(_ name: String, in location: String = "query", _ schema: Node = Schema.string, required: Bool = false, _ description: String = "") -> Node {
        ["name": name, "in": location, "required": location == "path" || required, "schema": schema, "description": description]
    }

    static let webhookID = param("webhook_id", in: "path", Schema.integer, "webhook id")
    static let pageParams = [param("page", Schema.integer, "from 1"), param("page_size", Schema.integer, "1 to 100, default 20")]
    static let testParam = param("test", Schema.boolean, "true: test sends only; false: deliveries only; absent: both")

    static func json(_ schema: Node, _ description: String) -> Node {
        ["description": description, "content": ["application/json": ["schema": schema] as Node] as Node]
    }

    static func error(_ description: String) -> Node { json(Schema.ref("Error"), description) }

    /// An operation with the errors every authenticated route may answer.
    static func op(_ summary: String, tag: String, roles: String, params: [Node] = [], body: Node? = nil,
                   ok: (status: String, schema: Node?, description: String), errors: [String] = []) -> Node {
        var responses: [String: any Sendable] = [
            "401": error("no, malformed or expired token (E_UNAUTHORIZED)"),
            "403": error("the token's role may not do this (E_FORBIDDEN)"),
            "503": error("the database or broker is unavailable (E_DB_UNAVAILABLE, E_BROKER_UNAVAILABLE); see Retry-After"),
            "500": error("internal error (E_INTERNAL): nothing about the cause, only request_id (also X-Request-Id), under which the service log has it"),
        ]
        if let schema = ok.schema { responses[ok.status] = json(schema, ok.description) } else { responses[ok.status] = ["description": ok.description] as Node }
        for code in errors {
            let text = switch code {
            case "400": "bad input: malformed JSON, wrong types, unknown values, out-of-range query parameters, NUL in a field or control characters in a parameter (E_INVALID_CHARACTER), URLs and headers delivery cannot send (E_INVALID_URL, E_INVALID_HEADERS, E_RESERVED_HEADER)"
            case "404": "no such resource in the caller's tenant"
            case "409": "duplicate (E_ENDPOINT_EXISTS, E_USER_EXISTS), or a test send's log retried (E_LOG_NOT_RETRYABLE)"
            case "413": "request body too large (E_BODY_TOO_LARGE)"
            case "422": "invalid resource_key_pattern, with the position (E_INVALID_PATTERN)"
            default: "error"
            }
            responses[code] = error(text)
        }
        var node: Node = ["summary": summary, "tags": [tag], "description": "Roles: \(roles).", "parameters": params, "responses": responses]
        if let body { node["requestBody"] = ["required": true, "content": ["application/json": ["schema": body] as Node] as Node] as Node }
        return node
    }

    static let webhookEnvelope = Schema.envelope(Schema.ref("Webhook"))

    // MARK: Paths.

    static let paths: Node = [
        "/api/auth/login": [
            "post": [
                "summary": "Log in", "tags": ["auth"], "security": [Node](),
                "requestBody": ["required": true, "content": ["application/json": ["schema": Schema.object(["username": Schema.string, "password": Schema.string], required: ["username", "password"])] as Node] as Node] as Node,
                "responses": ["200": json(Schema.ref("Login"), "a bearer token"), "400": error("bad input"), "401": error("wrong username or password (E_INVALID_CREDENTIALS)")] as Node,
            ] as Node,
        ] as Node,
        "/api/v1/webhooks": [
            "get": op("List webhooks", tag: "webhooks", roles: "admin, viewer",
                      params: pageParams + [param("tenant_id", Schema.integer), param("status", Schema.string, "active, disabled or auto-disabled"),
                                            param("event_type", Schema.string, "webhooks whose filters select this type"),
                                            param("association_type"), param("association_id")],
                      ok: ("200", Schema.envelope(Schema.page(Schema.ref("Webhook"))), "a page of webhooks (secrets never listed)"), errors: ["400"]),
            "post": op("Create a webhook", tag: "webhooks", roles: "admin", body: Schema.ref("WebhookInput"),
                       ok: ("201", webhookEnvelope, "the created webhook, with its secret"), errors: ["400", "409", "413", "422"]),
        ] as Node,
        "/api/v1/webhooks/{webhook_id}": [
            "get": op("Get a webhook", tag: "webhooks", roles: "admin, viewer (no secret)", params: [webhookID],
                      ok: ("200", webhookEnvelope, "the webhook"), errors: ["404"]),
            "put": op("Update a webhook (fields not sent keep their value)", tag: "webhooks", roles: "admin", params: [webhookID],
                      body: Schema.ref("WebhookInput"), ok: ("200", webhookEnvelope, "the updated webhook"), errors: ["400", "404", "409", "413", "422"]),
            "patch": op("Update some fields of a webhook", tag: "webhooks", roles: "admin", params: [webhookID],
                        body: Schema.ref("WebhookInput"), ok: ("200", webhookEnvelope, "the updated webhook"), errors: ["400", "404", "409", "413", "422"]),
            "delete": op("Delete a webhook with its tasks and logs", tag: "webhooks", roles: "admin", params: [webhookID],
                         ok: ("204", nil, "deleted"), errors: ["404"]),
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/enable": [
            "post": op("Enable a webhook", tag: "webhooks", roles: "admin", params: [webhookID], ok: ("200", webhookEnvelope, "the webhook"), errors: ["404"]),
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/disable": [
            "post": op("Disable a webhook", tag: "webhooks", roles: "admin", params: [webhookID], ok: ("200", webhookEnvelope, "the webhook"), errors: ["404"]),
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/rotate-secret": [
            "post": op("Rotate the signing secret; the old one keeps signing during the grace period", tag: "webhooks", roles: "admin",
                       params: [webhookID],
                       body: Schema.object(["secret": Schema.string, "grace_period_seconds": ["type": "integer", "minimum": 0, "maximum": 2_592_000] as Node]),
                       ok: ("200", webhookEnvelope, "the webhook with its new secret"), errors: ["400", "404"]),
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/test": [
            "post": op("Send a WEBHOOK_TEST event now, record it in the webhook's logs as a test send, and report the answer",
                       tag: "webhooks", roles: "admin", params: [webhookID],
                       ok: ("200", Schema.envelope(Schema.ref("TestResult")), "what the endpoint answered"), errors: ["404"]),
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/logs": [
            "get": op("Delivery attempts and test sends of a webhook, newest first", tag: "logs", roles: "admin, viewer",
                      params: [webhookID] + pageParams + [param("status", Schema.string, "success or failed"), param("event_type"),
                                                          param("since", Schema.dateTime), param("until", Schema.dateTime), testParam],
                      ok: ("200", Schema.envelope(Schema.page(Schema.ref("Attempt"))), "a page of attempts"), errors: ["400", "404"]),
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/stats": [
            "get": op("Outcome counts, success rate and latency percentiles of the deliveries (test sends only counted apart)",
                      tag: "logs", roles: "admin, viewer",
                      params: [webhookID, param("hours", Schema.integer, "window, 1 to 720, default 24")],
                      ok: ("200", Schema.envelope(Schema.ref("Stats")), "statistics"), errors: ["400", "404"]),
        ] as Node,
        "/api/v1/webhooks/{webhook_id}/tasks": [
            "get": op("Delivery tasks of a webhook", tag: "tasks", roles: "admin, viewer", params: [webhookID] + pageParams + [param("status")],
                      ok: ("200", Schema.envelope(Schema.page(Schema.ref("Task"))), "a page of tasks"), errors: ["400", "404"]),
        ] as Node,
        "/api/v1/tasks": [
            "get": op("List delivery tasks", tag: "tasks", roles: "admin, viewer",
                      params: pageParams + [param("status"), param("webhook_id", Schema.integer), param("tenant_id", Schema.integer)],
                      ok: ("200", Schema.envelope(Schema.page(Schema.ref("Task"))), "a page of tasks"), errors: ["400"]),
        ] as Node,
        "/api/v1/tasks/{task_id}": [
            "get": op("Get a task", tag: "tasks", roles: "admin, viewer", params: [param("task_id", in: "path", Schema.integer)],
                      ok: ("200", Schema.envelope(Schema.ref("Task")), "the task"), errors: ["404"]),
        ] as Node,
        "/api/v1/tasks/{task_id}/retry": [
            "post": op("Retry a task now (status retry, due now, handed to delivery)", tag: "tasks", roles: "admin",
                       params: [param("task_id", in: "path", Schema.integer)],
                       ok: ("202", Schema.envelope(Schema.ref("Task")), "scheduled"), errors: ["404"]),
        ] as Node,
        "/api/v1/tasks/recover": [
            "post": op("Re-enqueue failed tasks created since a time", tag: "tasks", roles: "admin",
                       body: Schema.object(["since": Schema.dateTime, "until": Schema.dateTime, "webhook_id": Schema.integer,
                                            "limit": ["type": "integer", "minimum": 1, "maximum": 1000] as Node], required: ["since"]),
                       ok: ("202", Schema.envelope(Schema.ref("Recovered")), "the tasks scheduled"), errors: ["400", "404"]),
        ] as Node,
        "/api/v1/logs": [
            "get": op("Delivery attempts and test sends of every visible webhook, newest first", tag: "logs", roles: "admin, viewer",
                      params: pageParams + [param("webhook_id", Schema.integer), param("status"), param("event_type"),
                                            param("since", Schema.dateTime), param("until", Schema.dateTime), testParam],
                      ok: ("200", Schema.envelope(Schema.page(Schema.ref("Attempt"))), "a page of attempts"), errors: ["400"]),
        ] as Node,
        "/api/v1/logs/{log_id}": [
            "get": op("Get one attempt", tag: "logs", roles: "admin, viewer", params: [param("log_id", in: "path", Schema.integer)],
                      ok: ("200", Schema.envelope(Schema.ref("Attempt")), "the attempt"), errors: ["404"]),
        ] as Node,
        "/api/v1/logs/{log_id}/retry": [
            "post": op("Retry the task of an attempt now (a test send has none: 409 E_LOG_NOT_RETRYABLE)", tag: "logs", roles: "admin",
                       params: [param("log_id", in: "path", Schema.integer)],
                       ok: ("202", Schema.envelope(Schema.ref("Task")), "scheduled"), errors: ["404", "409"]),
        ] as Node,
        "/api/v1/event-types": [
            "get": op("The event-type catalogue", tag: "events", roles: "admin, viewer",
                      ok: ("200", Schema.envelope(Schema.object(["items": Schema.array(Schema.ref("EventType"))], required: ["items"])), "event types")),
        ] as Node,
        "/api/v1/users": [
            "get": op("List users of the caller's tenant", tag: "accounts", roles: "admin",
                      ok: ("200", Schema.envelope(Schema.object(["items": Schema.array(Schema.ref("User"))], required: ["items"])), "users")),
            "post": op("Create a user", tag: "accounts", roles: "admin",
                       body: Schema.object(["username": Schema.string, "password": Schema.string,
                                            "role": ["type": "string", "enum": ["admin", "viewer", "publisher"]] as Node, "tenant_id": Schema.integer],
                                           required: ["username", "password", "role"]),
                       ok: ("201", Schema.envelope(Schema.ref("User")), "the user"), errors: ["400", "409"]),
        ] as Node,
        "/api/v1/tokens": [
            "post": op("Issue a publisher token for an upstream system (ingest only)", tag: "accounts", roles: "admin",
                       body: Schema.object(["subject": Schema.string, "tenant_id": Schema.integer,
                                            "expires_in": ["type": "integer", "minimum": 60, "maximum": 31_536_000] as Node], required: ["subject"]),
                       ok: ("201", Schema.envelope(Schema.ref("Token")), "the token"), errors: ["400"]),
        ] as Node,
    ]

    /// Plain values to lossless JSON, objects with sorted keys.
    static func toJSON(_ value: Any) -> JSONValue {
        switch value {
        case let s as String: return .string(s)
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(i)
        case let d as Double: return .double(d)
        case let o as [String: any Sendable]:
            return .object(o.keys.sorted().map { ($0, toJSON(o[$0]!)) })
        case let a as [Any]: return .array(a.map(toJSON))
        default: return .string(String(describing: value))
        }
    }
}
