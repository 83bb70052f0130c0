/// The portal-session paths (`PortalSessionRoutes`).
enum PortalSessionPaths {
    typealias Node = Schema.Node
    typealias Ex = OpenAPIExamples

    static let sessionID = OpenAPIOperation.param("session_id", in: "path", ["type": "string", "format": "uuid"], "portal session id")
    static let id = "7f0c2d9e-3b1a-4c5d-8e6f-0a1b2c3d4e5f"
    static let token = "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"
    static let session: Node = [
        "id": id, "tenant_id": 7, "role": "viewer", "created_by": "admin", "created_at": Ex.time, "expires_at": "2026-01-26T11:00:00Z",
        "revoked_at": Ex.null, "active": true,
    ]
    static let link: Node = [
        "id": id, "tenant_id": 7, "role": "viewer", "created_by": "admin", "created_at": Ex.time, "expires_at": "2026-01-26T11:00:00Z",
        "token": token, "url": "/console/#token=\(token)",
    ]
    static let forPortals = "A portal token may not manage portal links (403 E_FORBIDDEN)."

    static let paths: [String: Node] = [
        "/api/v1/portal-sessions": [
            "get": CanonicalPaths.op(
                "listPortalSessions", "List portal links of the caller's tenant (never their tokens)", tag: "accounts",
                roles: CanonicalPaths.admin, params: [CanonicalPaths.param("tenant_id", CanonicalPaths.positive, "operators only")],
                ok: .init(
                    200, Schema.envelope(Schema.object(["items": Schema.array(Schema.ref("PortalSession"))], required: ["items"])),
                    "portal sessions, newest first (at most 500)", example: Ex.canonical(["items": [session]] as Node)),
                errors: [400], description: forPortals),
            "post": CanonicalPaths.op(
                "createPortalSession", "Create a short-lived, revocable console link for one tenant", tag: "accounts",
                roles: CanonicalPaths.admin,
                body: (
                    Schema.object(
                        [
                            "tenant_id": Schema.described(CanonicalPaths.positive, "required of an operator; a tenant admin's own tenant only"),
                            "ttl_seconds": Schema.described(Schema.integer(1, 86_400), "default 3600"),
                            "role": Schema.described(Schema.strings(["admin", "viewer"]), "default admin"),
                        ]),
                    ["tenant_id": 7, "ttl_seconds": 3600, "role": "viewer"] as Node
                ),
                ok: .init(
                    201, Schema.envelope(Schema.ref("PortalLink")), "the link and its token (shown only here)",
                    example: Ex.canonical(link, "Portal session created")),
                errors: [400], description: forPortals),
        ] as Node,
        "/api/v1/portal-sessions/{session_id}": [
            "delete": CanonicalPaths.op(
                "revokePortalSession", "Revoke a portal link (its token is refused from then on)", tag: "accounts",
                roles: CanonicalPaths.admin, params: [sessionID], ok: .init(204, nil, "revoked"), description: forPortals)
        ] as Node,
    ]
}
