/// The FastAPI-style dialect's paths (`FastAPIStyleRoutes`, and `/api/webhooks/` with trailing slash in
/// `WebhookCollectionRoutes`): bare JSON answers, `{"detail", "code"}` errors.
enum FastAPIStylePaths {
    typealias Node = Schema.Node
    typealias Ex = OpenAPIExamples

    static let tag = "FastAPI-style dialect"

    static func op(
        _ id: String, _ summary: String, roles: [String], params: [Node] = [],
        body: (schema: Node, example: any Sendable)? = nil, ok: OpenAPIOperation.Answer, errors: [Int] = [],
        description: String? = nil
    ) -> Node {
        OpenAPIOperation.make(
            id, summary, tag: tag, roles: roles, envelope: .fastAPIStyle, params: params, body: body, ok: ok,
            errors: errors, description: description)
    }

    static func param(_ name: String, _ schema: Node, _ description: String = "") -> Node {
        OpenAPIOperation.param(name, schema, description)
    }

    static let webhookID = OpenAPIOperation.pathID("id", "webhook id")
    static let webhook = Schema.ref("Webhook")
    static let input = (schema: Schema.ref("WebhookInput"), example: Ex.webhookInput as any Sendable)
    static let readers = ["admin", "viewer"]
    static let admin = ["admin"]
    static let atlasWebhook = Ex.webhook.merging(["signature_header": "X-ATLAS-Signature", "event_header": "X-ATLAS-Event"]) { _, b in b }
    static let logFilters = [
        param("success", Schema.boolean, "only successful (true) or failed (false) attempts"),
        param("test", Schema.boolean, "true: test sends only; false: deliveries only"),
    ]

    static func update(_ id: String) -> Node {
        op(
            id, "Update a webhook (fields not sent keep their value)", roles: admin, params: [webhookID], body: input,
            ok: .init(200, webhook, "the updated webhook", example: atlasWebhook), errors: [409, 422])
    }

    static let paths: [String: Node] = [
        "/api/webhooks/": [
            "get": op(
                "fastApiListWebhooks", "List webhooks", roles: readers,
                params: [
                    param("skip", Schema.integer(0, 10_000_000), "a multiple of limit, default 0"),
                    param("limit", Schema.integer(1, 500), "default 100"), param("status", Schema.webhookStatus),
                ],
                ok: .init(
                    200, Schema.array(webhook), "the webhooks (secrets never listed)",
                    example: [atlasWebhook.filter { $0.key != "secret" }])),
            "post": op(
                "fastApiCreateWebhook", "Create a webhook signing with X-ATLAS-Signature", roles: admin, body: input,
                ok: .init(201, webhook, "the created webhook, with its secret", example: atlasWebhook), errors: [409, 422]),
        ] as Node,
        "/api/webhooks/{id}": [
            "get": op(
                "fastApiGetWebhook", "Get a webhook", roles: readers, params: [webhookID],
                ok: .init(200, webhook, "the webhook (the secret for admins only)", example: atlasWebhook)),
            "put": update("fastApiUpdateWebhook"),
            "patch": update("fastApiPatchWebhook"),
            "delete": op(
                "fastApiDeleteWebhook", "Delete a webhook with its tasks and logs", roles: admin, params: [webhookID],
                ok: .init(204, nil, "deleted")),
        ] as Node,
        "/api/webhooks/{id}/toggle": [
            "post": op(
                "fastApiToggleWebhook", "Enable a disabled webhook, disable an enabled one", roles: admin, params: [webhookID],
                ok: .init(200, webhook, "the webhook", example: atlasWebhook.filter { $0.key != "secret" }))
        ] as Node,
        "/api/webhooks/{id}/test": [
            "post": op(
                "fastApiTestWebhook", "Send a WEBHOOK_TEST event now and report the answer", roles: admin, params: [webhookID],
                ok: .init(
                    200, Schema.ref("TestResult"), "what the endpoint answered (a refused or failed send is success: false)",
                    example: Ex.testResult))
        ] as Node,
        "/api/webhooks/{id}/logs": [
            "get": op(
                "fastApiListWebhookLogs", "Attempts of a webhook, newest first", roles: readers,
                params: [webhookID, param("limit", Schema.integer(1, 500), "default 50")] + logFilters,
                ok: .init(
                    200, Schema.ref("LogPage"), "the attempts (hours is null)",
                    example: ["items": [Ex.attempt], "total": 1, "limit": 50, "hours": Ex.null] as Node))
        ] as Node,
        "/api/webhooks/{id}/stats": [
            "get": op(
                "fastApiGetWebhookStats", "Delivery statistics of a webhook", roles: readers,
                params: [webhookID, param("hours", Schema.integer(1, 720), "window, default 24")],
                ok: .init(200, Schema.ref("Stats"), "statistics", example: Ex.stats))
        ] as Node,
        "/api/webhooks/logs/recent": [
            "get": op(
                "fastApiListRecentLogs", "Attempts of every visible webhook in a window, newest first", roles: readers,
                params: [param("hours", Schema.integer(1, 720), "default 24"), param("limit", Schema.integer(1, 500), "default 100")] + logFilters,
                ok: .init(
                    200, Schema.ref("LogPage"), "the attempts",
                    example: ["items": [Ex.attempt], "total": 1, "limit": 100, "hours": 24] as Node))
        ] as Node,
    ]
}
