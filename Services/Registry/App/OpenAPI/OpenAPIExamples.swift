/// Example bodies of the document: one webhook, task and attempt, shown in each dialect's shape.
enum OpenAPIExamples {
    typealias Node = Schema.Node

    static let null = JSONNull()
    static let time = "2026-01-26T10:00:00Z"
    static let later = "2026-01-26T10:00:02Z"

    static let webhookInput: Node = [
        "name": "Environment events", "url": "https://hooks.example.com/webhooks/environments", "secret": "your-secret-key",
        "events": ["environment.created", "environment.started", "environment.stopped"], "enabled": true,
        "filter": ["data.environment.tier": ["$in": ["prod", "stage"]] as Node] as Node,
        "max_in_flight": 2, "retry_schedule": [10, 60, 600],
    ]

    static let webhook: Node = [
        "webhook_id": 42, "id": 42, "tenant_id": 7, "name": "Environment events", "description": "",
        "url": "https://hooks.example.com/webhooks/environments", "secret": "your-secret-key", "headers": Node(),
        "events": ["environment.created", "environment.started", "environment.stopped"], "resource_key_pattern": null,
        "filter": ["data.environment.tier": ["$in": ["prod", "stage"]] as Node] as Node,
        "association_type": "SYSTEM", "association_id": null, "enabled": true, "status": "active", "disabled_reason": null,
        "retry_enabled": true, "max_attempts": 5, "rate_limit": null, "max_in_flight": 2, "retry_schedule": [10, 60, 600],
        "signature_header": "X-Webhook-Signature", "event_header": "X-Webhook-Event",
        "created_by": "admin", "updated_by": "admin", "created_at": time, "updated_at": time, "last_error": null,
        "previous_secret_expires_at": null,
    ]

    static var listedWebhook: Node {
        var w = webhook
        w["secret"] = nil
        return w
    }

    static let pagination: Node = ["page": 1, "page_size": 20, "total": 1, "total_pages": 1]

    static let task: Node = [
        "id": 1001, "task_id": 1001, "event": "environment.started", "event_type": "environment.started", "event_id": "evt_7f3a",
        "webhook_id": 42, "tenant_id": 7, "url": "https://hooks.example.com/webhooks/environments", "status": "failed", "retries": 5,
        "next_try_at": null, "last_status_code": 503, "last_error": "HTTP 503", "created_at": time, "updated_at": later,
    ]

    static let attempt: Node = [
        "log_id": 5001, "task_id": 1001, "event_id": "evt_7f3a", "event_type": "environment.started", "attempt": 1,
        "request_url": "https://hooks.example.com/webhooks/environments", "request_headers": ["Content-Type": "application/json"] as Node,
        "request_body": "{\"event\": \"environment.started\"}", "status_code": 200, "response_headers": ["Content-Type": "text/plain"] as Node,
        "response_body": "ok", "duration_ms": 87, "error": null, "success": true, "created_at": time, "test": false,
        "replayed": false, "job_id": null,
    ]

    static let testResult: Node = [
        "success": true, "status_code": 200, "response_time": 87, "response_time_ms": 87, "response_headers": ["Content-Type": "text/plain"] as Node,
        "response_body": "ok", "error": null, "event_id": "evt_test_1", "event_type": "WEBHOOK_TEST", "message_id": "msg_3c1d",
        "request_url": "https://hooks.example.com/webhooks/environments", "request_headers": ["Content-Type": "application/json"] as Node,
        "request_body": "{\"event\": \"WEBHOOK_TEST\"}", "sent_at": time, "log_id": 5002,
    ]

    static let stats: Node = [
        "webhook_id": 42, "window_hours": 24, "since": time, "total": 10, "succeeded": 9, "failed": 1,
        "total_deliveries": 10, "successful_deliveries": 9, "failed_deliveries": 1, "success_rate": 0.9,
        "avg_response_time_ms": 91.5, "p50_ms": 80.0, "p95_ms": 190.0, "p99_ms": 240.0, "last_attempt_at": later,
        "tasks": ["pending": 0, "retry": 0, "success": 9, "failed": 1, "cancelled": 0] as Node, "test_attempts": 1,
        "bucket_seconds": 3600,
        "series": [
            ["start": "2026-01-26T09:00:00Z", "succeeded": 4, "failed": 1, "p50_ms": 85.0, "p95_ms": 230.0] as Node,
            ["start": "2026-01-26T10:00:00Z", "succeeded": 5, "failed": 0, "p50_ms": 78.0, "p95_ms": 160.0] as Node,
        ],
    ]

    static let tenantQueryWebhook: Node = [
        "id": 42, "webhook_id": 42, "tenant_id": 7, "name": "", "url": "https://hooks.example.com/webhooks/environments",
        "events": ["*"], "filter": null, "rate_limit": null, "max_in_flight": null, "retry_schedule": null, "status": "active", "enabled": true,
        "created_at": time,
    ]

    static let bkRepoInput: Node = [
        "url": "https://hooks.example.com/bkrepo", "triggers": ["NODE_CREATED", "NODE_UPLOADED"], "headers": Node(),
        "resourceKeyPattern": "^/generic/.*\\.tar\\.gz$", "associationType": "PROJECT", "associationId": "demo",
    ]

    static let bkRepoWebhook: Node = [
        "id": "42", "url": "https://hooks.example.com/bkrepo", "token": "whsec_6b1f0a", "triggers": ["NODE_CREATED", "NODE_UPLOADED"],
        "headers": Node(), "resourceKeyPattern": "^/generic/.*\\.tar\\.gz$", "filter": null, "rateLimit": null, "maxInFlight": null,
        "retrySchedule": null, "associationType": "PROJECT",
        "associationId": "demo", "enabled": true, "status": "active", "createdBy": "admin", "createdDate": time, "lastModifiedBy": "admin",
        "lastModifiedDate": time,
    ]

    static let bkRepoLog: Node = [
        "id": "5001", "webHookId": "42", "webHookUrl": "https://hooks.example.com/bkrepo", "webhookUrl": "https://hooks.example.com/bkrepo",
        "triggeredEvent": "NODE_CREATED", "requestHeaders": ["Content-Type": "application/json"] as Node,
        "requestPayload": "{\"event\": \"NODE_CREATED\"}", "status": "SUCCESS", "responseHeaders": Node(), "responseBody": "ok",
        "requestDuration": 87, "requestTime": time, "errorMsg": null, "test": false,
    ]

    static let event: Node = [
        "id": "evt_2026_0001", "type": "job.failed", "occurred_at": time, "tenant_id": 7, "association_type": "PROJECT",
        "association_id": "demo", "resource_key": "jobs/1234", "data": ["job_id": 1234, "reason": "out of memory"] as Node,
    ]

    /// `data` in the canonical envelope.
    static func canonical(_ data: any Sendable, _ message: String = "success") -> Node { ["code": 0, "message": message, "data": data] }

    /// `data` in bkrepo's envelope.
    static func bkRepo(_ data: any Sendable) -> Node { ["code": 0, "message": null, "data": data, "traceId": "5b0f0c8e3a7d4f21"] }

    /// `data` in the tenant-parameter envelope.
    static func tenantQuery(_ data: any Sendable) -> Node { ["code": 0, "msg": "success", "data": data] }
}
