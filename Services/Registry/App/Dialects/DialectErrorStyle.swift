import Hummingbird
import ServiceKit

/// Which error envelope a path's dialect uses.
enum DialectErrorStyle {
    /// The tenant-parameter dialect's paths (no trailing slash).
    static let tenantQueryPaths: Set<String> = ["/api/webhooks", "/api/webhooks/delete", "/api/webhooks/tasks", "/api/webhooks/tasks/retry"]

    static func style(for request: Request) -> ErrorStyle {
        let path = request.uri.path
        if path.hasPrefix("/api/v1/") || path == "/api/v1" { return .canonical }
        if path.hasPrefix("/webhook/api/") { return .traced }
        if tenantQueryPaths.contains(path) { return .codeMsg }
        if path.hasPrefix("/api/webhooks/") { return .detail }
        return .union
    }
}
