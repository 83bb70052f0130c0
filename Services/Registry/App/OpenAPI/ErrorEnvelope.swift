/// The error envelopes of the document, one per `ErrorStyle`: each operation's errors refer to the
/// envelope of its dialect (`Dialect.errorStyle`), paths outside every dialect to the union.
enum ErrorEnvelope: String, CaseIterable {
    case canonical = "CanonicalError"
    case tenantQuery = "TenantQueryError"
    case bkRepo = "BkRepoError"
    case fastAPIStyle = "FastAPIStyleError"
    case union = "Error"

    typealias Node = Schema.Node

    static let code: Node = ["type": "string", "pattern": "^E_[A-Z0-9_]+$"]
    static let requestID = Schema.described(
        Schema.string, "internal errors (E_INTERNAL) only: the id the service log has the cause under, also sent as X-Request-Id")

    var schema: Node {
        switch self {
        case .canonical:
            Schema.object(
                ["code": Self.code, "message": Schema.string, "data": Schema.null, "request_id": Self.requestID],
                required: ["code", "message", "data"])
        case .tenantQuery:
            Schema.object(
                ["code": Self.code, "msg": Schema.string, "data": Schema.null, "request_id": Self.requestID],
                required: ["code", "msg", "data"])
        case .bkRepo:
            Schema.object(
                [
                    "code": Self.code, "message": Schema.string, "data": Schema.null,
                    "traceId": Schema.described(Schema.string, "the request's id, also sent as X-Request-Id"), "request_id": Self.requestID,
                ],
                required: ["code", "message", "data", "traceId"])
        case .fastAPIStyle:
            Schema.object(["detail": Schema.string, "code": Self.code, "request_id": Self.requestID], required: ["detail", "code"])
        case .union:
            Schema.object(
                [
                    "code": Self.code, "message": Schema.string, "msg": Schema.described(Schema.string, "the same as message"),
                    "data": Schema.null, "request_id": Self.requestID,
                ], required: ["code", "message", "msg", "data"])
        }
    }

    var description: String {
        switch self {
        case .canonical: "Errors of the canonical API (/api/v1)."
        case .tenantQuery: "Errors of the tenant-parameter dialect: `msg` instead of `message`."
        case .bkRepo: "Errors of the bkrepo dialect, with `traceId`."
        case .fastAPIStyle: "Errors of the FastAPI-style dialect: FastAPI's `detail`, with the stable code next to it."
        case .union: "Errors of paths outside every dialect (login, ingest): every dialect's message field."
        }
    }

    static let components: [String: Node] = Dictionary(
        uniqueKeysWithValues: allCases.map { envelope -> (String, Node) in
            var schema = envelope.schema
            schema["description"] = envelope.description
            return (envelope.rawValue, schema)
        })

    /// An error body in this envelope, for examples.
    func example(code: String, message: String) -> Node {
        switch self {
        case .canonical: ["code": code, "message": message, "data": JSONNull()]
        case .tenantQuery: ["code": code, "msg": message, "data": JSONNull()]
        case .bkRepo: ["code": code, "message": message, "data": JSONNull(), "traceId": "5b0f0c8e3a7d4f21"]
        case .fastAPIStyle: ["detail": message, "code": code]
        case .union: ["code": code, "message": message, "msg": message, "data": JSONNull()]
        }
    }
}

/// JSON `null` in a document node.
struct JSONNull: Sendable {}
