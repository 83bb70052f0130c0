import Hummingbird
import ServiceKit

/// `/api/webhooks` and `/api/webhooks/` resolve to the same route; `Dialect.of(path:)` picks the
/// dialect: FastAPI-style with the trailing slash, tenant-parameter without.
struct WebhookCollectionRoutes: Sendable {
    let tenantQuery: TenantQueryRoutes
    let fastAPIStyle: FastAPIStyleRoutes

    static func isFastAPIStyle(_ request: Request) -> Bool { Dialect.of(path: request.uri.path) == .fastAPIStyle }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/webhooks") { request, context in
            if Self.isFastAPIStyle(request) { return try await fastAPIStyle.create(request, context) }
            return try await tenantQuery.create(request, context)
        }
        router.get("/api/webhooks") { request, context in
            if Self.isFastAPIStyle(request) { return try await fastAPIStyle.list(request, context) }
            return try await tenantQuery.list(request, context)
        }
    }
}
