import Hummingbird
import ServiceKit

/// The API dialects the registry speaks over one service layer, and the one table that says which
/// dialect a path speaks: routing (`WebhookCollectionRoutes`) and error rendering both ask it.
enum Dialect: Sendable, Equatable {
    /// `/api/v1/...`: the canonical API, `{"code": 0, "message", "data"}`.
    case canonical
    /// `/api/webhooks` without trailing slash, `/api/webhooks/delete`, `/api/webhooks/tasks`,
    /// `/api/webhooks/tasks/retry`: the tenant-parameter dialect, `{"code", "msg", "data"}`.
    case tenantQuery
    /// `/webhook/api/...`: bkrepo's (BlueKing Repository) webhook API, `{"code", "message", "data", "traceId"}`.
    case bkRepo
    /// `/api/webhooks/` with trailing slash and every other path under it: a FastAPI service's shape,
    /// bare JSON objects and `{"detail": ...}` errors.
    case fastAPIStyle

    /// The tenant-parameter dialect's paths; the other paths under `/api/webhooks/` are FastAPI-style.
    static let tenantQueryPaths: Set<String> = ["/api/webhooks", "/api/webhooks/delete", "/api/webhooks/tasks", "/api/webhooks/tasks/retry"]

    /// The dialect `path` speaks, or `nil` outside every dialect (login, health, docs).
    /// - Parameter path: the request's path, without the query.
    static func of(path: String) -> Dialect? {
        // The router skips empty components (`/api//webhooks/` reaches `/api/webhooks`): read the
        // path as it does, so routing and error envelopes agree on every path.
        let path = path.contains("//") ? collapsingEmptyComponents(path) : path
        if path.hasPrefix("/api/v1/") || path == "/api/v1" { return .canonical }
        if path.hasPrefix("/webhook/api/") { return .bkRepo }
        if tenantQueryPaths.contains(path) { return .tenantQuery }
        if path.hasPrefix("/api/webhooks/") { return .fastAPIStyle }
        return nil
    }

    /// `path` without empty components, keeping a trailing slash: `/api//webhooks//` is `/api/webhooks/`.
    static func collapsingEmptyComponents(_ path: String) -> String {
        let joined = "/" + path.split(separator: "/").joined(separator: "/")
        return path.hasSuffix("/") && joined != "/" ? joined + "/" : joined
    }

    /// The envelope this dialect's errors are answered in.
    var errorStyle: ErrorStyle {
        switch self {
        case .canonical: .canonical
        case .tenantQuery: .tenantQuery
        case .bkRepo: .bkRepo
        case .fastAPIStyle: .fastAPIStyle
        }
    }

    /// The error envelope of `request`'s dialect; the union envelope outside every dialect.
    static func errorStyle(for request: Request) -> ErrorStyle {
        of(path: request.uri.path)?.errorStyle ?? .union
    }
}
