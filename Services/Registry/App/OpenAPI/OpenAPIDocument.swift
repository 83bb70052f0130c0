import WebhookCore

/// The OpenAPI 3.1 document of the whole API, served at `/openapi.json`: every route of the four
/// dialects (canonical `/api/v1`, tenant-parameter, bkrepo, FastAPI-style), login, health, metrics,
/// these docs, and ingest's `POST /api/v1/events` (with the ingest service as its server). Each
/// operation has a unique operationId, examples, and its errors in its dialect's envelope.
enum OpenAPIDocument {
    typealias Node = Schema.Node

    /// The serialised document.
    static let json: [UInt8] = CanonicalJSON.encode(toJSON(document))

    static let description = """
        Manage webhook endpoints, delivery tasks and attempt logs, in four dialects over one service layer: the canonical API \
        (`/api/v1`), the tenant-parameter dialect (`/api/webhooks` without trailing slash), the bkrepo dialect (`/webhook/api`) and \
        the FastAPI-style dialect (`/api/webhooks/` with trailing slash). Every route needs `Authorization: Bearer <jwt>` (from \
        `POST /api/auth/login`, or a publisher token from `POST /api/v1/tokens` for ingest) except login, health, metrics and these \
        docs. Errors carry a stable code `E_...` in the envelope of the path's dialect. `POST /api/v1/events` is served by the ingest \
        service on its own port.
        """

    static let document: Node = [
        "openapi": "3.1.0",
        "info": ["title": "Webhooks platform API", "version": "1.0.0", "description": description] as Node,
        "servers": [["url": "/", "description": "the registry"] as Node],
        "security": [["bearer": [String]()] as Node],
        "tags": tags,
        "components": [
            "schemas": Schema.components,
            "securitySchemes": [
                "bearer": [
                    "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description":
                        "HS256 JWT signed with JWT_SECRET; claims sub, role (admin, viewer, publisher), tenant_id, exp, and sid in a portal link's token (refused once its session is revoked or expired). The same scheme in every dialect and in ingest, which takes publisher and admin tokens.",
                ] as Node
            ] as Node,
        ] as Node,
        "paths": paths,
    ]

    static let tags: [Node] = [
        ["name": "webhooks", "description": "Canonical API (/api/v1): webhook endpoints"],
        ["name": "tasks", "description": "Canonical API (/api/v1): delivery tasks"],
        ["name": "logs", "description": "Canonical API (/api/v1): delivery attempts, test sends and statistics"],
        ["name": "events", "description": "Canonical API (/api/v1): stored events"],
        ["name": EventTypePaths.tag, "description": "Canonical API (/api/v1): the event-type catalogue, with each type's data schema"],
        ["name": "jobs", "description": "Canonical API (/api/v1): replay and recovery jobs"],
        ["name": "accounts", "description": "Login, users and publisher tokens"],
        ["name": TenantQueryPaths.tag, "description": "/api/webhooks without trailing slash: {\"code\", \"msg\", \"data\"}, ids in bodies"],
        ["name": BkRepoPaths.tag, "description": "/webhook/api: bkrepo's webhook API, {\"code\", \"message\", \"data\", \"traceId\"}"],
        ["name": FastAPIStylePaths.tag, "description": "/api/webhooks/ with trailing slash: bare JSON, {\"detail\", \"code\"} errors"],
        ["name": "ingest", "description": "The ingest service: publishing events"],
        ["name": "operations", "description": "Health, metrics and these docs"],
    ]

    /// Every path; a path is in exactly one of the parts.
    static let paths: [String: Node] = {
        var all: [String: Node] = [:]
        for part in [
            CanonicalPaths.paths, JobPaths.paths, EventTypePaths.paths, TenantQueryPaths.paths, BkRepoPaths.paths, FastAPIStylePaths.paths, ServicePaths.paths,
        ] {
            all.merge(part) { first, _ in first }
        }
        return all
    }()

    /// Plain values to lossless JSON, objects with sorted keys.
    static func toJSON(_ value: Any) -> JSONValue {
        switch value {
        case is JSONNull: return .null
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
