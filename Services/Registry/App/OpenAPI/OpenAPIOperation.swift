import ServiceKit

/// Builds the operations of the document: parameters, bodies, success answers, and the errors each
/// operation may answer in its dialect's envelope.
enum OpenAPIOperation {
    typealias Node = Schema.Node

    /// A success answer: status, body schema (`nil`: no body) and an example body.
    struct Answer {
        var status: Int
        var schema: Node?
        var description: String
        var example: (any Sendable)?

        init(_ status: Int, _ schema: Node?, _ description: String, example: (any Sendable)? = nil) {
            self.status = status
            self.schema = schema
            self.description = description
            self.example = example
        }
    }

    /// A parameter; path parameters are always required.
    static func param(
        _ name: String, in location: String = "query", _ schema: Node = Schema.string, required: Bool = false,
        _ description: String = ""
    ) -> Node {
        var node: Node = ["name": name, "in": location, "required": location == "path" || required, "schema": schema]
        if !description.isEmpty { node["description"] = description }
        return node
    }

    /// A positive integer id in the path.
    static func pathID(_ name: String, _ description: String) -> Node {
        param(name, in: "path", ["type": "integer", "minimum": 1], description)
    }

    static func json(_ schema: Node, _ description: String, example: (any Sendable)? = nil) -> Node {
        var media: Node = ["schema": schema]
        if let example { media["example"] = example }
        return ["description": description, "content": ["application/json": media] as Node]
    }

    /// What each error status means, with an example code.
    static func error(_ status: Int) -> (description: String, code: String, message: String) {
        switch status {
        case 400:
            (
                "bad input: malformed JSON, wrong types, unknown values, out-of-range query parameters, NUL in a field or control characters in a path or query parameter (E_INVALID_CHARACTER), URLs and headers delivery cannot send (E_INVALID_URL, E_INVALID_HEADERS, E_RESERVED_HEADER)",
                "E_INVALID_VALUE", "'max_attempts' must be between 1 and 50"
            )
        case 401: ("no, malformed or expired token (E_UNAUTHORIZED)", "E_UNAUTHORIZED", "the token is invalid or expired")
        case 403: ("the token's role may not do this, or another tenant was named (E_FORBIDDEN)", "E_FORBIDDEN", "this route needs the role admin")
        case 404: ("no such resource in the caller's tenant (E_NOT_FOUND, E_TASK_NOT_FOUND, E_LOG_NOT_FOUND)", "E_NOT_FOUND", "webhook 42 does not exist")
        case 409:
            (
                "conflict: E_ENDPOINT_EXISTS (the URL is already registered in the tenant), E_USER_EXISTS, E_LOG_NOT_RETRYABLE (a test send has no task), E_EVENT_TYPE_EXISTS (the type is in the catalogue already)",
                "E_ENDPOINT_EXISTS", "a webhook with this URL already exists"
            )
        case 413: ("the request body is too large (E_BODY_TOO_LARGE)", "E_BODY_TOO_LARGE", "the request body exceeds 65536 bytes")
        case 422:
            (
                "resource_key_pattern is not valid RE2 syntax (E_INVALID_PATTERN, with the position) or over a pattern budget (E_PATTERN_TOO_COMPLEX, E_PATTERN_BUDGET_COUNT, E_PATTERN_BUDGET_SIZE), or the filter is refused (E_FILTER_NOT_OBJECT, E_FILTER_UNKNOWN_OPERATOR, E_FILTER_INVALID_OPERAND, E_FILTER_INVALID_PATH, E_FILTER_INVALID_REGEX, E_FILTER_TOO_DEEP, E_FILTER_TOO_MANY_CONDITIONS, E_FILTER_TOO_LARGE, with the JSONPath of the offending part), or rate_limit, max_in_flight or retry_schedule is out of range (E_INVALID_VALUE), or an event type's schema is refused (E_SCHEMA_NOT_OBJECT, E_SCHEMA_UNKNOWN_KEYWORD, E_SCHEMA_INVALID_KEYWORD, E_SCHEMA_INVALID_PATTERN, E_SCHEMA_TOO_DEEP, E_SCHEMA_TOO_LARGE, with the JSONPath of the mistake)",
                "E_INVALID_PATTERN", "'resource_key_pattern' invalid pattern at position 3: missing )"
            )
        case 500:
            (
                "internal error (E_INTERNAL): nothing about the cause, only request_id (also X-Request-Id), under which the service log has it",
                "E_INTERNAL", APIError.internalMessage
            )
        case 503:
            (
                "the database or broker is unavailable (E_DB_UNAVAILABLE, E_BROKER_UNAVAILABLE); retry after Retry-After seconds",
                "E_DB_UNAVAILABLE", "the database is unavailable; try again shortly"
            )
        default: ("error", "E_HTTP_\(status)", "error")
        }
    }

    static func errorResponse(_ status: Int, _ envelope: ErrorEnvelope) -> Node {
        let text = error(status)
        var node = json(Schema.ref(envelope.rawValue), text.description, example: envelope.example(code: text.code, message: text.message))
        if status == 503 {
            node["headers"] = ["Retry-After": ["description": "seconds to wait", "schema": Schema.integer] as Node] as Node
        }
        return node
    }

    /// An operation.
    /// - Parameters:
    ///   - id: the unique camelCase operationId.
    ///   - roles: the roles that may call it; `nil` for a public route (no token).
    ///   - envelope: the error envelope of its dialect.
    ///   - body: the request body's schema and an example.
    ///   - errors: statuses beyond those every operation may answer (400, 500, 503; 401 and 403
    ///     with a token; 404 with a path parameter; 413 with a body).
    static func make(
        _ id: String, _ summary: String, tag: String, roles: [String]?, envelope: ErrorEnvelope,
        params: [Node] = [], body: (schema: Node, example: any Sendable)? = nil, ok: Answer,
        errors: [Int] = [], description: String? = nil
    ) -> Node {
        var statuses: Set<Int> = [400, 500, 503]
        if roles != nil { statuses.formUnion([401, 403]) }
        if params.contains(where: { $0["in"] as? String == "path" }) { statuses.insert(404) }
        if body != nil { statuses.insert(413) }
        statuses.formUnion(errors)
        var responses: Node = [:]
        for status in statuses { responses[String(status)] = errorResponse(status, envelope) }
        if let schema = ok.schema {
            responses[String(ok.status)] = json(schema, ok.description, example: ok.example)
        } else {
            responses[String(ok.status)] = ["description": ok.description] as Node
        }
        var text = roles.map { "Roles: \($0.joined(separator: ", "))." } ?? "No token needed."
        if let description { text = description + "\n\n" + text }
        var node: Node = ["operationId": id, "summary": summary, "tags": [tag], "description": text, "parameters": params, "responses": responses]
        if roles == nil { node["security"] = [Node]() }
        if let body {
            node["requestBody"] =
                [
                    "required": true,
                    "content": ["application/json": ["schema": body.schema, "example": body.example] as Node] as Node,
                ] as Node
        }
        return node
    }
}
