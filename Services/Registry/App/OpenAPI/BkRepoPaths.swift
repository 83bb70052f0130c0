/// The bkrepo dialect's paths (`BkRepoRoutes`, `/webhook/api`): `{"code", "message", "data", "traceId"}`,
/// camelCase fields, string ids.
enum BkRepoPaths {
    typealias Node = Schema.Node
    typealias Ex = OpenAPIExamples

    static let tag = "bkrepo dialect"

    static func op(
        _ id: String, _ summary: String, roles: [String], params: [Node] = [],
        body: (schema: Node, example: any Sendable)? = nil, ok: OpenAPIOperation.Answer, errors: [Int] = [],
        description: String? = nil
    ) -> Node {
        OpenAPIOperation.make(
            id, summary, tag: tag, roles: roles, envelope: .bkRepo, params: params, body: body, ok: ok, errors: errors,
            description: description)
    }

    /// `{"code": 0, "message": null, "data": ..., "traceId": ...}`.
    static func envelope(_ data: Node) -> Node {
        Schema.object(
            [
                "code": ["type": "integer", "enum": [0]], "message": Schema.null, "data": data,
                "traceId": Schema.described(Schema.string, "the request's id, also sent as X-Request-Id"),
            ],
            required: ["code", "message", "data", "traceId"])
    }

    static let webhookID = OpenAPIOperation.pathID("id", "webhook id")
    static let logID = OpenAPIOperation.pathID("logId", "log id")
    static let input = (schema: Schema.ref("BkRepoWebhookInput"), example: Ex.bkRepoInput as any Sendable)
    static let updateExample = Ex.bkRepoInput.merging(["id": "42", "token": "new-secret"]) { a, _ in a }
    static let webhook = envelope(Schema.ref("BkRepoWebhook"))
    static let log = envelope(Schema.ref("BkRepoLog"))
    static let readers = ["admin", "viewer"]

    static func test(_ id: String) -> Node {
        op(
            id, "Send a WEBHOOK_TEST event now and report the answer", roles: ["admin"], params: [webhookID],
            ok: .init(
                200, log, "what was sent and what came back (a refused or failed send is status FAIL)",
                example: Ex.bkRepo(Ex.bkRepoLog.merging(["triggeredEvent": "WEBHOOK_TEST", "test": true]) { _, b in b })),
            description: "Recorded in the webhook's logs as a test send; `id` is its log id.")
    }

    static func retry(_ id: String) -> Node {
        op(
            id, "Retry the delivery of a log", roles: ["admin"], params: [logID],
            ok: .init(200, log, "the log being retried; delivery records the new attempt as a new log", example: Ex.bkRepo(Ex.bkRepoLog)),
            errors: [409], description: "A test send's log has no delivery to retry: 409 E_LOG_NOT_RETRYABLE.")
    }

    static func update(_ id: String) -> Node {
        op(
            id, "Update a webhook named by the id in the body", roles: ["admin"], body: (input.schema, updateExample),
            ok: .init(200, webhook, "the updated webhook", example: Ex.bkRepo(Ex.bkRepoWebhook)), errors: [404, 409, 422])
    }

    static let paths: [String: Node] = [
        "/webhook/api/webhook/create": [
            "post": op(
                "bkRepoCreateWebhook", "Create a webhook (triggers required)", roles: ["admin"], body: input,
                ok: .init(200, webhook, "the created webhook, with its token", example: Ex.bkRepo(Ex.bkRepoWebhook)), errors: [409, 422])
        ] as Node,
        "/webhook/api/webhook/update": ["put": update("bkRepoUpdateWebhook"), "post": update("bkRepoUpdateWebhookPost")] as Node,
        "/webhook/api/webhook/delete/{id}": [
            "delete": op(
                "bkRepoDeleteWebhook", "Delete a webhook with its tasks and logs", roles: ["admin"], params: [webhookID],
                ok: .init(200, envelope(Schema.null), "deleted", example: Ex.bkRepo(Ex.null)))
        ] as Node,
        "/webhook/api/webhook/list": [
            "get": op(
                "bkRepoListWebhooks", "List webhooks (at most 500)", roles: readers,
                params: [
                    OpenAPIOperation.param("associationType", Schema.associationType),
                    OpenAPIOperation.param("associationId", Schema.string),
                    OpenAPIOperation.param("association_type", Schema.associationType, "the same as associationType"),
                    OpenAPIOperation.param("association_id", Schema.string, "the same as associationId"),
                ],
                ok: .init(
                    200, envelope(Schema.array(Schema.ref("BkRepoWebhook"))), "the webhooks (no token)",
                    example: Ex.bkRepo([Ex.bkRepoWebhook.filter { $0.key != "token" }])))
        ] as Node,
        "/webhook/api/webhook/test/{id}": ["get": test("bkRepoTestWebhook"), "post": test("bkRepoTestWebhookPost")] as Node,
        "/webhook/api/webhook/retry/{logId}": ["get": retry("bkRepoRetryLog"), "post": retry("bkRepoRetryLogPost")] as Node,
        "/webhook/api/webhook/{id}": [
            "get": op(
                "bkRepoGetWebhook", "Get a webhook", roles: readers, params: [webhookID],
                ok: .init(200, webhook, "the webhook (the token for admins only)", example: Ex.bkRepo(Ex.bkRepoWebhook)))
        ] as Node,
        "/webhook/api/log/list/{webHookId}": [
            "get": op(
                "bkRepoListLogs", "Request logs of a webhook, newest first", roles: readers,
                params: [
                    OpenAPIOperation.pathID("webHookId", "webhook id"),
                    OpenAPIOperation.param("pageNumber", Schema.integer(1, 1_000_000), "from 1"),
                    OpenAPIOperation.param("pageSize", Schema.integer(1, 100), "default 20"),
                ],
                ok: .init(200, envelope(Schema.array(Schema.ref("BkRepoLog"))), "the logs", example: Ex.bkRepo([Ex.bkRepoLog])))
        ] as Node,
    ]
}
