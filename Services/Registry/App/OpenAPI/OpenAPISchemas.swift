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
    static let dateTime: Node = ["type": "string", "format": "date-time"]
    static func nullable(_ name: String) -> Node { type(name, nullable: true) }
    static func array(_ items: Node) -> Node { ["type": "array", "items": items] }
    static func map(_ values: Node) -> Node { ["type": "object", "additionalProperties": values] }
    static func object(_ properties: [String: Node], required: [String] = []) -> Node {
        ["type": "object", "properties": properties, "required": required]
    }

    /// The canonical success envelope around `data`.
    static func envelope(_ data: Node) -> Node {
        object(["code": ["type": "integer", "enum": [0]], "message": string, "data": data], required: ["code", "message", "data"])
    }

    /// A page of `item`s with the canonical pagination.
    static func page(_ item: Node) -> Node {
        object(["items": array(item), "pagination": ref("Pagination")], required: ["items", "pagination"])
    }

    static let components: [String: Node] = [
        "Error": object([
            "code": ["type": "string", "pattern": "^E_[A-Z0-9_]+$"], "message": string, "data": type("null"),
            "request_id": ["type": "string", "description": "internal errors (E_INTERNAL) only: the id the service log has the cause under, also sent as X-Request-Id"],
        ], required: ["code", "message"]),
        "Pagination": object(["page": integer, "page_size": integer, "total": integer, "total_pages": integer],
                             required: ["page", "page_size", "total", "total_pages"]),
        "Webhook": object([
            "webhook_id": integer, "id": integer, "tenant_id": integer, "name": string, "description": string,
            "url": ["type": "string", "format": "uri"], "secret": ["type": "string", "description": "only in admin detail responses"],
            "headers": map(string), "events": array(string), "resource_key_pattern": nullable("string"),
            "association_type": ["type": "string", "enum": ["SYSTEM", "PROJECT", "REPO"]], "association_id": nullable("string"),
            "enabled": boolean, "status": ["type": "string", "enum": ["active", "disabled", "auto-disabled"]],
            "disabled_reason": nullable("string"), "retry_enabled": boolean, "max_attempts": integer,
            "signature_header": string, "event_header": string, "created_by": string, "updated_by": string,
            "created_at": dateTime, "updated_at": dateTime, "last_error": nullable("string"),
            "previous_secret_expires_at": ["type": ["string", "null"], "format": "date-time"],
        ], required: ["webhook_id", "id", "tenant_id", "name", "url", "events", "enabled", "status", "created_at", "updated_at"]),
        "WebhookInput": object([
            "name": string, "description": string, "url": string, "secret": string, "events": array(string),
            "enabled": boolean, "headers": map(string), "tenant_id": integer, "resource_key_pattern": nullable("string"),
            "resourceKeyPattern": nullable("string"), "association_type": ["type": "string", "enum": ["SYSTEM", "PROJECT", "REPO"]],
            "association_id": nullable("string"), "retry_enabled": boolean, "max_attempts": ["type": "integer", "minimum": 1, "maximum": 50],
            "signature_header": string, "event_header": string, "status": ["type": "string", "enum": ["active", "disabled"]],
        ]),
        "Attempt": object([
            "log_id": integer, "task_id": integer, "event_id": string, "event_type": string, "attempt": integer,
            "request_url": string, "request_headers": map(string), "request_body": nullable("string"), "status_code": nullable("integer"),
            "response_headers": map(string), "response_body": nullable("string"), "duration_ms": integer,
            "error": nullable("string"), "success": boolean, "created_at": dateTime,
            "test": ["type": "boolean", "description": "a test send of the registry (event type WEBHOOK_TEST, task_id 0): not a delivery, never retried, not in the stats"] as Node,
        ], required: ["log_id", "task_id", "event_type", "status_code", "success", "created_at", "test"]),
        "Task": object([
            "id": integer, "task_id": integer, "event": string, "event_type": string, "event_id": string, "webhook_id": integer,
            "tenant_id": integer, "url": string, "status": ["type": "string", "enum": ["pending", "retry", "success", "failed", "cancelled"]],
            "retries": integer, "next_try_at": ["type": ["string", "null"], "format": "date-time"], "last_status_code": nullable("integer"),
            "last_error": nullable("string"), "created_at": dateTime, "updated_at": dateTime,
        ], required: ["id", "event", "status", "retries", "next_try_at", "created_at", "url"]),
        "Stats": object([
            "webhook_id": integer, "window_hours": integer, "since": dateTime, "total": integer, "succeeded": integer, "failed": integer,
            "total_deliveries": integer, "successful_deliveries": integer, "failed_deliveries": integer,
            "success_rate": nullable("number"), "avg_response_time_ms": nullable("number"), "p50_ms": nullable("number"),
            "p95_ms": nullable("number"), "p99_ms": nullable("number"),
            "last_attempt_at": ["type": ["string", "null"], "format": "date-time"], "tasks": map(integer),
            "test_attempts": ["type": "integer", "description": "test sends in the window; they count in none of the other figures"] as Node,
        ], required: ["webhook_id", "total", "succeeded", "failed", "success_rate", "tasks", "test_attempts"]),
        "TestResult": object([
            "success": boolean, "status_code": nullable("integer"), "response_time": integer, "response_time_ms": integer,
            "response_headers": map(string), "response_body": nullable("string"), "error": nullable("string"),
            "event_id": string, "event_type": string, "message_id": string, "request_url": string,
            "request_headers": map(string), "request_body": string, "sent_at": dateTime,
            "log_id": ["type": ["integer", "null"], "description": "the test send in the webhook's logs; null when it could not be recorded"] as Node,
        ], required: ["success", "status_code", "response_time", "error", "log_id"]),
        "EventType": object(["type": string, "description": string, "category": string], required: ["type", "description"]),
        "User": object(["id": integer, "username": string, "role": ["type": "string", "enum": ["admin", "viewer", "publisher"]],
                        "tenant_id": nullable("integer")], required: ["id", "username", "role", "tenant_id"]),
        "Token": object(["access_token": string, "token_type": string, "expires_in": integer, "role": string, "subject": string,
                         "tenant_id": nullable("integer")], required: ["access_token", "token_type", "expires_in", "role"]),
        "Login": object(["access_token": string, "token_type": string, "expires_in": integer, "role": string,
                         "tenant_id": nullable("integer")], required: ["access_token", "token_type", "expires_in", "role"]),
        "Recovered": object(["count": integer, "task_ids": array(integer)], required: ["count", "task_ids"]),
    ]
}
