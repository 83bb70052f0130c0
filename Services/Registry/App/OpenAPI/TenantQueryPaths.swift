/// The tenant-parameter dialect's paths (`TenantQueryRoutes`, and `/api/webhooks` without trailing
/// slash in `WebhookCollectionRoutes`): `{"code", "msg", "data"}`, ids in bodies.
enum TenantQueryPaths {
    typealias Node = Schema.Node
    typealias Ex = OpenAPIExamples

    static let tag = "tenant-parameter dialect"

    static func op(
        _ id: String, _ summary: String, roles: [String], params: [Node] = [],
        body: (schema: Node, example: any Sendable)? = nil, ok: OpenAPIOperation.Answer, errors: [Int] = []
    ) -> Node {
        OpenAPIOperation.make(id, summary, tag: tag, roles: roles, envelope: .tenantQuery, params: params, body: body, ok: ok, errors: errors)
    }

    static func param(_ name: String, _ schema: Node, _ description: String = "") -> Node {
        OpenAPIOperation.param(name, schema, description)
    }

    /// `{"code": 0, "msg": "success", "data": ...}`, with extra top-level members.
    static func envelope(_ data: Node, extra: [String: Node] = [:]) -> Node {
        var properties: [String: Node] = ["code": ["type": "integer", "enum": [0]], "msg": Schema.string, "data": data]
        properties.merge(extra) { a, _ in a }
        return Schema.object(properties, required: ["code", "msg", "data"] + extra.keys.sorted())
    }

    static let pageParams = [param("page", Schema.integer(1, 1_000_000), "from 1"), param("page_size", Schema.integer(1, 500), "1 to 500, default 100")]
    static let tenant = param("tenant_id", ["type": "integer", "minimum": 1], "the tenant to list; absent: the caller's scope")
    static let idBody = (schema: Schema.ref("IDRequest"), example: ["id": 42] as Node as any Sendable)

    static let paths: [String: Node] = [
        "/api/webhooks": [
            "post": op(
                "tenantQueryCreateWebhook", "Create a webhook (events default to [\"*\"])", roles: ["admin"],
                body: (
                    Schema.ref("WebhookInput"),
                    [
                        "tenant_id": 7, "url": "https://hooks.example.com/webhooks/environments",
                        "secret": "your-secret-key",
                    ] as Node
                ),
                ok: .init(
                    201, envelope(Schema.ref("TenantQueryWebhook"), extra: ["webhook_id": Schema.integer, "status": Schema.webhookStatus]),
                    "the created webhook; webhook_id and status also at the top level",
                    example: Ex.tenantQuery(Ex.tenantQueryWebhook).merging(["webhook_id": 42, "status": "active"]) { a, _ in a }),
                errors: [409, 422]),
            "get": op(
                "tenantQueryListWebhooks", "List webhooks of a tenant", roles: ["admin", "viewer"],
                params: pageParams + [tenant, param("status", Schema.webhookStatus)],
                ok: .init(
                    200, envelope(Schema.array(Schema.ref("TenantQueryWebhook"))), "the webhooks",
                    example: Ex.tenantQuery([Ex.tenantQueryWebhook]))),
        ] as Node,
        "/api/webhooks/delete": [
            "post": op(
                "tenantQueryDeleteWebhook", "Delete a webhook by the id in the body", roles: ["admin"], body: idBody,
                ok: .init(200, envelope(Schema.ref("IDResult")), "the deleted webhook's id", example: Ex.tenantQuery(["id": 42] as Node)),
                errors: [404])
        ] as Node,
        "/api/webhooks/tasks": [
            "get": op(
                "tenantQueryListTasks", "List delivery tasks of a tenant", roles: ["admin", "viewer"],
                params: pageParams + [tenant, param("status", Schema.taskStatus), param("webhook_id", ["type": "integer", "minimum": 1])],
                ok: .init(200, envelope(Schema.array(Schema.ref("Task"))), "the tasks", example: Ex.tenantQuery([Ex.task])))
        ] as Node,
        "/api/webhooks/tasks/retry": [
            "post": op(
                "tenantQueryRetryTask", "Retry a task by the id in the body", roles: ["admin"], body: idBody,
                ok: .init(200, envelope(Schema.ref("IDResult")), "the task's id", example: Ex.tenantQuery(["id": 1001] as Node)),
                errors: [404])
        ] as Node,
    ]
}
