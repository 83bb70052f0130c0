/// Paths outside every dialect: login, health, metrics and these docs (registry), and ingest's
/// `POST /api/v1/events`, served by the ingest service on its own port.
enum ServicePaths {
    typealias Node = Schema.Node
    typealias Ex = OpenAPIExamples

    static func plain(
        _ id: String, _ summary: String, tag: String, media: String, schema: Node, example: any Sendable,
        statuses: [(Int, String)]
    ) -> Node {
        var responses: Node = [:]
        for (status, text) in statuses {
            responses[String(status)] = ["description": text, "content": [media: ["schema": schema, "example": example] as Node] as Node] as Node
        }
        return ["operationId": id, "summary": summary, "tags": [tag], "security": [Node](), "responses": responses, "description": "No token needed."]
    }

    static let health = Schema.object(
        [
            "status": Schema.strings(["ok", "ready", "unavailable"]),
            "reason": Schema.described(Schema.string, "what is not ready"),
        ], required: ["status"])

    static let paths: [String: Node] = [
        "/api/auth/login": [
            "post": OpenAPIOperation.make(
                "login", "Log in with username and password for a bearer token", tag: "accounts", roles: nil, envelope: .union,
                body: (
                    Schema.object(["username": Schema.string, "password": Schema.string], required: ["username", "password"]),
                    ["username": "admin", "password": "change-me-please"] as Node
                ),
                ok: .init(
                    200, Schema.ref("Login"), "a bearer token (bare, not enveloped: the FastAPI-style clients read .access_token)",
                    example: [
                        "access_token": "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "token_type": "bearer", "expires_in": 86400, "role": "admin",
                        "tenant_id": 7,
                    ] as Node),
                errors: [401], description: "Wrong username or password: 401 E_INVALID_CREDENTIALS.")
        ] as Node,
        "/healthz": [
            "get": plain(
                "getHealth", "The process is alive", tag: "operations", media: "application/json", schema: health,
                example: ["status": "ok"] as Node, statuses: [(200, "alive")])
        ] as Node,
        "/readyz": [
            "get": plain(
                "getReadiness", "The process and its database answer", tag: "operations", media: "application/json", schema: health,
                example: ["status": "ready"] as Node, statuses: [(200, "ready"), (503, "not ready: reason names what")])
        ] as Node,
        "/metrics": [
            "get": plain(
                "getMetrics", "Prometheus metrics (counts only, no tenant data)", tag: "operations", media: "text/plain",
                schema: Schema.string, example: "http_requests_total{method=\"GET\",status=\"200\"} 1\n",
                statuses: [(200, "the metrics in the Prometheus text format")])
        ] as Node,
        "/openapi.json": [
            "get": plain(
                "getOpenAPIDocument", "This document", tag: "operations", media: "application/json",
                schema: ["type": "object"], example: ["openapi": "3.1.0"] as Node, statuses: [(200, "the OpenAPI 3.1 document")])
        ] as Node,
        "/docs": [
            "get": plain(
                "getDocsPage", "A page listing every operation of this document", tag: "operations", media: "text/html",
                schema: Schema.string, example: "<!doctype html>...", statuses: [(200, "the page")])
        ] as Node,
        "/console": [
            "get": plain(
                "getConsole", "The web console (its page; the rest of it is under /console/)", tag: "operations", media: "text/html",
                schema: Schema.string, example: "<!doctype html>...", statuses: [(200, "the console's page")])
        ] as Node,
        "/console/{asset}": ["get": consoleAsset] as Node,
        // One path, two services: the registry lists stored events, ingest takes new ones.
        "/api/v1/events": ["get": CanonicalPaths.listEvents, "post": ingest] as Node,
    ]

    /// A static file of the console: its scripts, stylesheet and icon; 404 for any other name.
    static let consoleAsset: Node = {
        var ok: Node = [:]
        let examples = [
            ("text/html", "<!doctype html>..."), ("text/css", ":root { ... }"), ("text/javascript", "import { api } from \"./api.js\";"),
            ("image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\">...</svg>"),
        ]
        for (media, example) in examples {
            ok[media] = ["schema": Schema.string, "example": example] as Node
        }
        return [
            "operationId": "getConsoleAsset", "summary": "A file of the web console", "tags": ["operations"], "security": [Node](),
            "description": "No token needed: the files hold no data; the console's calls to the API carry the person's token.",
            "parameters": [OpenAPIOperation.param("asset", in: "path", Schema.string, "a file name such as app.js")],
            "responses": [
                "200": ["description": "the file", "content": ok] as Node,
                "400": OpenAPIOperation.errorResponse(400, .union),
                "404": OpenAPIOperation.errorResponse(404, .union),
            ] as Node,
        ]
    }()

    static let ingest: Node = {
        var op = OpenAPIOperation.make(
            "publishEvents", "Publish one event or a batch (ingest)", tag: "ingest", roles: ["publisher", "admin"], envelope: .union,
            params: [
                OpenAPIOperation.param(
                    "Idempotency-Key", in: "header", Schema.string,
                    "events without an id get ids derived from it (and their index in a batch), so a retried request carries the same ids")
            ],
            body: (
                ["oneOf": [Schema.ref("Event"), ["type": "array", "items": Schema.ref("Event"), "minItems": 1, "maxItems": 500] as Node]] as Node,
                Ex.event
            ),
            ok: .init(
                202, Schema.ref("EventsAccepted"), "accepted: the broker confirmed every event of the request",
                example: ["code": 0, "message": "accepted", "data": ["ids": ["evt_2026_0001"], "count": 1] as Node] as Node),
            description: """
                Served by the ingest service (see `servers`), not the registry. The body is one event or an array of at most \
                INGEST_MAX_BATCH (500) events; a batch with one bad event is refused whole, the message naming its index \
                (`events[3]: ...`). Limits: INGEST_MAX_EVENT_BYTES (256 KiB) per event and INGEST_MAX_REQUEST_BYTES (5 MiB) per \
                request (413 E_EVENT_TOO_LARGE, E_BATCH_TOO_LARGE, E_BODY_TOO_LARGE). A token with a tenant publishes only that \
                tenant's events (403 otherwise).
                """)
        var responses = op["responses"] as! Node
        responses["503"] = OpenAPIOperation.json(
            Schema.ref("EventsUnconfirmed"), "the broker did not confirm some events (or is unreachable); retrying with the same ids is safe",
            example: [
                "code": "E_BROKER_UNAVAILABLE", "message": "the broker did not confirm 1 of 1 events; retry them",
                "data": ["accepted": [String](), "failed": ["evt_2026_0001"]] as Node,
            ] as Node)
        op["responses"] = responses
        // The operation's own servers: GET on the same path is the registry's.
        op["servers"] = [["url": "http://localhost:8081", "description": "ingest (INGEST_PORT, default 8081), not the registry"] as Node]
        var body = op["requestBody"] as! Node
        body["content"] =
            [
                "application/json": [
                    "schema": (((body["content"] as! Node)["application/json"]) as! Node)["schema"]!,
                    "examples": [
                        "one": ["summary": "one event", "value": Ex.event] as Node,
                        "batch": ["summary": "a batch", "value": [Ex.event, ["type": "job.completed", "data": ["job_id": 1235] as Node] as Node]] as Node,
                    ]
                        as Node,
                ] as Node
            ] as Node
        op["requestBody"] = body
        return op
    }()
}
