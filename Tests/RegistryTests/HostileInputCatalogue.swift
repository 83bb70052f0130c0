import Foundation
import HTTPTypes

/// One request of the hostile-input table and the answer it must get.
struct HostileCase: Sendable, CustomStringConvertible {
    let method: HTTPRequest.Method
    let path: String
    let body: String?
    let status: Int
    let code: String
    /// Sent without a token (login).
    var anonymous = false

    var description: String { "\(method) \(path) \(body.map { String($0.prefix(300)) } ?? "")" }
}

/// Every route of every dialect, and the hostile inputs each must refuse: NUL and line breaks in
/// every string field, query and path parameter, huge and negative numbers, wrong JSON types, URLs
/// and headers delivery could not send.
struct HostileInputCatalogue {
    /// Existing rows of the caller's tenant, so that a request the rules let through would reach
    /// the database.
    let webhookId: Int64
    let taskId: Int64
    let logId: Int64

    /// What a route reads besides its body.
    struct Route {
        let method: HTTPRequest.Method
        /// With `{id}` where the path takes an id.
        let template: String
        /// The 404 code of an id that cannot exist.
        var notFound = "E_NOT_FOUND"
        /// Numeric query parameters and the code of an out-of-range value.
        var numbers: [(name: String, code: String)] = []
        /// Other query parameters.
        var texts: [String] = []
        var body: BodyKind?
    }

    enum BodyKind {
        case webhookCreate, webhookUpdate, bkRepoUpdate, rotate, recover, idOnly(notFound: String), user, token, login
    }

    static let page = [("page", "E_INVALID_PAGINATION"), ("page_size", "E_INVALID_PAGINATION")]

    var routes: [Route] {
        let logFilters = ["status", "event_type", "since", "until"]
        return [
            // Canonical API.
            Route(method: .post, template: "/api/v1/webhooks", body: .webhookCreate),
            Route(
                method: .get, template: "/api/v1/webhooks", numbers: Self.page + [("tenant_id", "E_INVALID_QUERY")],
                texts: ["status", "event_type", "association_type", "association_id"]),
            Route(method: .get, template: "/api/v1/webhooks/{id}"),
            Route(method: .put, template: "/api/v1/webhooks/{id}", body: .webhookUpdate),
            Route(method: .patch, template: "/api/v1/webhooks/{id}", body: .webhookUpdate),
            Route(method: .delete, template: "/api/v1/webhooks/{id}"),
            Route(method: .post, template: "/api/v1/webhooks/{id}/enable"),
            Route(method: .post, template: "/api/v1/webhooks/{id}/disable"),
            Route(method: .post, template: "/api/v1/webhooks/{id}/rotate-secret", body: .rotate),
            Route(method: .post, template: "/api/v1/webhooks/{id}/test"),
            Route(method: .get, template: "/api/v1/webhooks/{id}/logs", numbers: Self.page, texts: logFilters),
            Route(method: .get, template: "/api/v1/webhooks/{id}/stats", numbers: [("hours", "E_INVALID_QUERY")]),
            Route(method: .get, template: "/api/v1/webhooks/{id}/tasks", numbers: Self.page, texts: ["status"]),
            Route(
                method: .get, template: "/api/v1/tasks", numbers: Self.page + [("tenant_id", "E_INVALID_QUERY"), ("webhook_id", "E_INVALID_QUERY")],
                texts: ["status"]),
            Route(method: .post, template: "/api/v1/tasks/recover", body: .recover),
            Route(method: .get, template: "/api/v1/tasks/{id}", notFound: "E_TASK_NOT_FOUND"),
            Route(method: .post, template: "/api/v1/tasks/{id}/retry", notFound: "E_TASK_NOT_FOUND"),
            Route(method: .get, template: "/api/v1/logs", numbers: Self.page + [("webhook_id", "E_INVALID_QUERY")], texts: logFilters),
            Route(method: .get, template: "/api/v1/logs/{id}", notFound: "E_LOG_NOT_FOUND"),
            Route(method: .post, template: "/api/v1/logs/{id}/retry", notFound: "E_LOG_NOT_FOUND"),
            Route(method: .get, template: "/api/v1/event-types", texts: ["x", "include_deprecated"]),
            Route(method: .get, template: "/api/v1/event-types/{id}"),
            Route(method: .post, template: "/api/v1/users", body: .user),
            Route(method: .get, template: "/api/v1/users", texts: ["x"]),
            Route(method: .post, template: "/api/v1/tokens", body: .token),
            Route(method: .post, template: "/api/auth/login", body: .login),
            // Tenant-parameter dialect (no trailing slash).
            Route(method: .post, template: "/api/webhooks", body: .webhookCreate),
            Route(
                method: .get, template: "/api/webhooks",
                numbers: [("page", "E_INVALID_QUERY"), ("page_size", "E_INVALID_QUERY"), ("tenant_id", "E_INVALID_QUERY")],
                texts: ["status"]),
            Route(method: .post, template: "/api/webhooks/delete", body: .idOnly(notFound: "E_NOT_FOUND")),
            Route(
                method: .get, template: "/api/webhooks/tasks",
                numbers: [("page", "E_INVALID_QUERY"), ("page_size", "E_INVALID_QUERY"), ("tenant_id", "E_INVALID_QUERY"), ("webhook_id", "E_INVALID_QUERY")],
                texts: ["status"]),
            Route(method: .post, template: "/api/webhooks/tasks/retry", body: .idOnly(notFound: "E_TASK_NOT_FOUND")),
            // FastAPI-style dialect (trailing slash, ids in the path).
            Route(method: .post, template: "/api/webhooks/", body: .webhookCreate),
            Route(method: .get, template: "/api/webhooks/", numbers: [("limit", "E_INVALID_QUERY"), ("skip", "E_INVALID_QUERY")], texts: ["status"]),
            Route(method: .get, template: "/api/webhooks/{id}"),
            Route(method: .put, template: "/api/webhooks/{id}", body: .webhookUpdate),
            Route(method: .patch, template: "/api/webhooks/{id}", body: .webhookUpdate),
            Route(method: .delete, template: "/api/webhooks/{id}"),
            Route(method: .post, template: "/api/webhooks/{id}/toggle"),
            Route(method: .post, template: "/api/webhooks/{id}/test"),
            Route(method: .get, template: "/api/webhooks/{id}/logs", numbers: [("limit", "E_INVALID_QUERY")], texts: ["success"]),
            Route(method: .get, template: "/api/webhooks/{id}/stats", numbers: [("hours", "E_INVALID_QUERY")]),
            Route(
                method: .get, template: "/api/webhooks/logs/recent", numbers: [("hours", "E_INVALID_QUERY"), ("limit", "E_INVALID_QUERY")],
                texts: ["success"]),
            // bkrepo dialect.
            Route(method: .post, template: "/webhook/api/webhook/create", body: .webhookCreate),
            Route(method: .put, template: "/webhook/api/webhook/update", body: .bkRepoUpdate),
            Route(method: .post, template: "/webhook/api/webhook/update", body: .bkRepoUpdate),
            Route(method: .delete, template: "/webhook/api/webhook/delete/{id}"),
            Route(method: .get, template: "/webhook/api/webhook/{id}"),
            Route(method: .get, template: "/webhook/api/webhook/list", texts: ["associationType", "associationId", "association_type", "association_id"]),
            Route(method: .get, template: "/webhook/api/webhook/test/{id}"),
            Route(method: .post, template: "/webhook/api/webhook/test/{id}"),
            Route(method: .get, template: "/webhook/api/webhook/retry/{id}", notFound: "E_LOG_NOT_FOUND"),
            Route(method: .post, template: "/webhook/api/webhook/retry/{id}", notFound: "E_LOG_NOT_FOUND"),
            Route(method: .get, template: "/webhook/api/log/list/{id}", numbers: [("pageNumber", "E_INVALID_QUERY"), ("pageSize", "E_INVALID_QUERY")]),
        ]
    }

    /// The existing id a route's path takes.
    func validID(_ route: Route) -> Int64 {
        switch route.notFound {
        case "E_TASK_NOT_FOUND": taskId
        case "E_LOG_NOT_FOUND": logId
        default: webhookId
        }
    }

    static let nul = #"\u0000"#

    /// Every case of every route.
    var cases: [HostileCase] {
        routes.flatMap { route in pathCases(route) + queryCases(route) + bodyCases(route) }
    }

    /// Ids that cannot exist are 404 with the route's code; control characters are 400.
    func pathCases(_ route: Route) -> [HostileCase] {
        guard route.template.contains("{id}") else { return [] }
        let good = route.template.replacingOccurrences(of: "{id}", with: String(validID(route)))
        let body = route.body.map { _ in "{}" }
        var out: [HostileCase] = []
        for bad in ["%00", "a%00b", "%0D%0A", "%0A", "%7F"] {
            out.append(
                .init(
                    method: route.method, path: route.template.replacingOccurrences(of: "{id}", with: bad), body: body,
                    status: 400, code: "E_INVALID_CHARACTER"))
        }
        for missing in ["99999999999999999999", "-1", "0", "1e400", "abc", "1.5"] {
            out.append(
                .init(
                    method: route.method, path: route.template.replacingOccurrences(of: "{id}", with: missing), body: body,
                    status: 404, code: route.notFound))
        }
        // Query parameters no route reads are checked too.
        out.append(.init(method: route.method, path: good + "?unused=%00", body: body, status: 400, code: "E_INVALID_CHARACTER"))
        return out
    }

    /// Every query parameter with NUL or a line break (400 `E_INVALID_CHARACTER`); numbers out of
    /// range (400 with the route's code).
    func queryCases(_ route: Route) -> [HostileCase] {
        guard route.method == .get else { return [] }
        let path = route.template.replacingOccurrences(of: "{id}", with: String(validID(route)))
        var out: [HostileCase] = []
        for name in route.numbers.map(\.name) + route.texts {
            for bad in ["%00", "a%00", "%0D%0AX-Injected:%201", "%1B"] {
                out.append(.init(method: .get, path: "\(path)?\(name)=\(bad)", body: nil, status: 400, code: "E_INVALID_CHARACTER"))
            }
        }
        out.append(.init(method: .get, path: "\(path)?%00=1", body: nil, status: 400, code: "E_INVALID_CHARACTER"))
        for (name, code) in route.numbers {
            for bad in ["99999999999999999999", "-1", "-99999999999999999999", "1e400", "1.5", "abc", "0x10"] {
                out.append(.init(method: .get, path: "\(path)?\(name)=\(bad)", body: nil, status: 400, code: code))
            }
        }
        return out
    }

    func bodyCases(_ route: Route) -> [HostileCase] {
        guard let kind = route.body else { return [] }
        let path = route.template.replacingOccurrences(of: "{id}", with: String(validID(route)))
        let anonymous = if case .login = kind { true } else { false }
        func make(_ body: String, _ status: Int, _ code: String) -> HostileCase {
            HostileCase(method: route.method, path: path, body: body, status: status, code: code, anonymous: anonymous)
        }
        var out: [HostileCase] = []
        for (body, code) in [
            ("[]", "E_INVALID_JSON"), (#""x""#, "E_INVALID_JSON"), ("{", "E_INVALID_JSON"), ("null", "E_INVALID_JSON"),
            ("1e400", "E_INVALID_JSON"), (#"{"\#(Self.nul)": 1}"#, "E_INVALID_CHARACTER"),
            (#"{"unused": {"deep": ["\#(Self.nul)"]}}"#, "E_INVALID_CHARACTER"),
        ] {
            out.append(make(body, 400, code))
        }
        for (members, status, code) in memberCases(kind) {
            out.append(make(object(base(kind), overriding: members), status, code))
        }
        return out
    }

    /// A body that would be accepted (or at least read past decoding) for each kind.
    func base(_ kind: BodyKind) -> [(String, String)] {
        switch kind {
        case .webhookCreate: [("name", #""hostile""#), ("url", #""https://example.com/hostile-\#(UUID().uuidString)""#), ("events", #"["job.failed"]"#)]
        case .webhookUpdate: [("name", #""hostile""#)]
        case .bkRepoUpdate: [("id", "\(webhookId)"), ("name", #""hostile""#)]
        case .rotate: [("grace_period_seconds", "60")]
        case .recover: [("since", #""2020-01-01T00:00:00Z""#), ("webhook_id", "\(webhookId)")]
        case .idOnly: [("id", "\(webhookId)")]
        case .user: [("username", #""hostile-user""#), ("password", #""long-enough-pw""#), ("role", #""viewer""#)]
        case .token: [("subject", #""hostile-bot""#)]
        case .login: [("username", #""nobody""#), ("password", #""whatever-pw""#)]
        }
    }

    /// Members replacing or joining the base body, with the answer they must get.
    func memberCases(_ kind: BodyKind) -> [([(String, String)], Int, String)] {
        let nul = Self.nul
        let nulString = #""a\#(nul)b""#
        switch kind {
        case .webhookCreate, .webhookUpdate, .bkRepoUpdate:
            var out: [([(String, String)], Int, String)] = []
            for field in [
                "name", "description", "secret", "token", "status", "resource_key_pattern", "resourceKeyPattern",
                "association_type", "signature_header", "event_header",
            ] {
                out.append(([(field, nulString)], 400, "E_INVALID_CHARACTER"))
            }
            out += [
                ([("resource_key_pattern", #""\#(nul)""#)], 400, "E_INVALID_CHARACTER"),
                ([("url", #""https://example.com/a\#(nul)""#)], 400, "E_INVALID_CHARACTER"),
                ([("events", #"["job.failed", "\#(nul)"]"#)], 400, "E_INVALID_CHARACTER"),
                ([("triggers", #"["\#(nul)job.failed"]"#)], 400, "E_INVALID_CHARACTER"),
                ([("headers", #"{"X-A": "v\#(nul)"}"#)], 400, "E_INVALID_CHARACTER"),
                ([("headers", #"{"X\#(nul)A": "v"}"#)], 400, "E_INVALID_CHARACTER"),
                ([("association_type", #""PROJECT""#), ("association_id", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("associationType", #""PROJECT""#), ("associationId", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("tenant_id", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("id", nulString)], 400, "E_INVALID_CHARACTER"),
                // Wrong JSON types.
                ([("name", "[1]")], 400, "E_WRONG_TYPE"),
                ([("name", "{}")], 400, "E_WRONG_TYPE"),
                ([("description", "false")], 400, "E_WRONG_TYPE"),
                ([("url", "5")], 400, "E_WRONG_TYPE"),
                ([("url", #"["https://example.com/x"]"#)], 400, "E_WRONG_TYPE"),
                ([("url", "null")], 400, "E_WRONG_TYPE"),
                ([("events", #""job.failed""#)], 400, "E_WRONG_TYPE"),
                ([("events", "[1]")], 400, "E_WRONG_TYPE"),
                ([("events", #"{"a": "b"}"#)], 400, "E_WRONG_TYPE"),
                ([("enabled", #""yes""#)], 400, "E_WRONG_TYPE"),
                ([("enabled", "1")], 400, "E_WRONG_TYPE"),
                ([("headers", #"["X-A"]"#)], 400, "E_WRONG_TYPE"),
                ([("headers", #"{"X-A": 1}"#)], 400, "E_WRONG_TYPE"),
                ([("headers", #"{"X-A": {"b": "c"}}"#)], 400, "E_WRONG_TYPE"),
                ([("max_attempts", #""5""#)], 400, "E_WRONG_TYPE"),
                ([("max_attempts", "true")], 400, "E_WRONG_TYPE"),
                ([("retry_enabled", #""true""#)], 400, "E_WRONG_TYPE"),
                ([("tenant_id", "true")], 400, "E_WRONG_TYPE"),
                ([("association_type", "5")], 400, "E_WRONG_TYPE"),
                ([("resource_key_pattern", "[]")], 400, "E_WRONG_TYPE"),
                ([("secret", "1")], 400, "E_WRONG_TYPE"),
                // Numbers out of range.
                ([("max_attempts", "1e400")], 400, "E_INVALID_VALUE"),
                ([("max_attempts", "99999999999999999999")], 400, "E_INVALID_VALUE"),
                ([("max_attempts", "-1")], 400, "E_INVALID_VALUE"),
                ([("max_attempts", "1.5")], 400, "E_INVALID_VALUE"),
                ([("tenant_id", "99999999999999999999")], 400, "E_INVALID_VALUE"),
                // URLs delivery could not send.
                ([("url", #""http://host.example/x\r\nX-Injected: 1""#)], 400, "E_INVALID_URL"),
                ([("url", #""http://host.example/x\r\n""#)], 400, "E_INVALID_URL"),
                ([("url", #""http://host.example/x\n""#)], 400, "E_INVALID_URL"),
                ([("url", #""\nhttp://host.example/x""#)], 400, "E_INVALID_URL"),
                ([("url", #""http://host.example/a b""#)], 400, "E_INVALID_URL"),
                ([("url", #""http://host.example/a\tb""#)], 400, "E_INVALID_URL"),
                ([("url", #""http://host.example/\u2028""#)], 400, "E_INVALID_URL"),
                ([("url", #""http://host.example:99999/x""#)], 400, "E_INVALID_URL"),
                ([("url", #""http://host.example:0/x""#)], 400, "E_INVALID_URL"),
                ([("url", #""http://user:pw@host.example/x""#)], 400, "E_INVALID_URL"),
                ([("url", #""ftp://host.example/x""#)], 400, "E_INVALID_URL"),
                ([("url", #""http://""#)], 400, "E_INVALID_URL"),
                ([("url", #""""#)], 400, "E_INVALID_URL"),
                // Headers delivery could not send, or that the platform owns.
                ([("headers", #"{"X-A": "a\r\nX-Injected: 1"}"#)], 400, "E_INVALID_HEADERS"),
                ([("headers", #"{"X-A": "a\nb"}"#)], 400, "E_INVALID_HEADERS"),
                ([("headers", #"{"X-A": "a\rb"}"#)], 400, "E_INVALID_HEADERS"),
                ([("headers", #"{"X-A": "a\u001bb"}"#)], 400, "E_INVALID_HEADERS"),
                ([("headers", #"{"Bad Name": "v"}"#)], 400, "E_INVALID_HEADERS"),
                ([("headers", #"{"X-A\r\nX-B": "v"}"#)], 400, "E_INVALID_HEADERS"),
                ([("headers", #"{"X-A": "1", "x-a": "2"}"#)], 400, "E_INVALID_HEADERS"),
                ([("headers", #"{"X-A": "\#(String(repeating: "v", count: 5000))"}"#)], 400, "E_INVALID_HEADERS"),
                ([("headers", #"{"Transfer-Encoding": "chunked"}"#)], 400, "E_RESERVED_HEADER"),
                ([("headers", #"{"Content-Length": "5"}"#)], 400, "E_RESERVED_HEADER"),
                ([("headers", #"{"Host": "evil.example"}"#)], 400, "E_RESERVED_HEADER"),
                ([("headers", #"{"connection": "close"}"#)], 400, "E_RESERVED_HEADER"),
                ([("headers", #"{"Proxy-Authorization": "Basic eA=="}"#)], 400, "E_RESERVED_HEADER"),
                ([("headers", #"{"webhook-signature": "v1,forged"}"#)], 400, "E_RESERVED_HEADER"),
                ([("signature_header", #""X-Sig""#), ("headers", #"{"x-sig": "forged"}"#)], 400, "E_RESERVED_HEADER"),
                ([("signature_header", #""Bad Name""#)], 400, "E_INVALID_HEADERS"),
                ([("event_header", #""X-Evt\r\nX-Injected: 1""#)], 400, "E_INVALID_HEADERS"),
                ([("event_header", #""Content-Type""#)], 400, "E_RESERVED_HEADER"),
            ]
            return out
        case .rotate:
            return [
                ([("secret", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("secret", "5")], 400, "E_WRONG_TYPE"),
                ([("grace_period_seconds", #""60""#)], 400, "E_WRONG_TYPE"),
                ([("grace_period_seconds", "1e400")], 400, "E_INVALID_VALUE"),
                ([("grace_period_seconds", "99999999999999999999")], 400, "E_INVALID_VALUE"),
                ([("grace_period_seconds", "-1")], 400, "E_INVALID_VALUE"),
            ]
        case .recover:
            return [
                ([("since", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("until", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("since", "5")], 400, "E_WRONG_TYPE"),
                ([("since", #""yesterday""#)], 400, "E_INVALID_VALUE"),
                ([("webhook_id", #""x""#)], 400, "E_WRONG_TYPE"),
                ([("webhook_id", "99999999999999999999")], 400, "E_INVALID_VALUE"),
                ([("limit", "-1")], 400, "E_INVALID_VALUE"),
                ([("limit", "1e400")], 400, "E_INVALID_VALUE"),
            ]
        case .idOnly(let notFound):
            return [
                ([("id", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("id", #""abc""#)], 400, "E_WRONG_TYPE"),
                ([("id", "[1]")], 400, "E_WRONG_TYPE"),
                ([("id", "99999999999999999999")], 400, "E_INVALID_VALUE"),
                ([("id", "1e400")], 400, "E_INVALID_VALUE"),
                ([("id", "-1")], 404, notFound),
                ([("id", "987654321987")], 404, notFound),
            ]
        case .user:
            return [
                ([("username", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("password", #""long-enough-pw\#(nul)""#)], 400, "E_INVALID_CHARACTER"),
                ([("role", #""viewer\#(nul)""#)], 400, "E_INVALID_CHARACTER"),
                ([("username", "5")], 400, "E_WRONG_TYPE"),
                ([("role", #""owner""#)], 400, "E_INVALID_VALUE"),
                ([("username", #""a\r\nb-user""#)], 400, "E_INVALID_VALUE"),
                ([("tenant_id", "1e400")], 400, "E_INVALID_VALUE"),
            ]
        case .token:
            return [
                ([("subject", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("subject", "[1]")], 400, "E_WRONG_TYPE"),
                ([("expires_in", "99999999999999999999")], 400, "E_INVALID_VALUE"),
                ([("expires_in", "-1")], 400, "E_INVALID_VALUE"),
            ]
        case .login:
            return [
                ([("username", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("password", nulString)], 400, "E_INVALID_CHARACTER"),
                ([("username", "5")], 400, "E_WRONG_TYPE"),
            ]
        }
    }

    /// `base` with `members` replacing members of the same name or added, as a JSON object.
    func object(_ base: [(String, String)], overriding members: [(String, String)]) -> String {
        var all = base.filter { key, _ in !members.contains { $0.0 == key } }
        all += members
        return "{" + all.map { #""\#($0.0)": \#($0.1)"# }.joined(separator: ", ") + "}"
    }
}
