import ConsoleAssets
import HTTPTypes
import Hummingbird
import ServiceKit

/// The web console under `/console`: static pages over the canonical API. The files are public
/// (they hold no data); every API call they make carries the signed-in person's token.
struct ConsoleRoutes: Sendable {
    /// Served without a token.
    static let paths: Set<String> = ["/console", "/console/"]
    static let prefix = "/console/"

    /// Scripts, styles and images from this origin only; no framing, no referrer.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-cache",
    ]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/console") { _, _ in Self.response(ConsoleAssets.index) }
        router.get("/console/{asset}") { _, context in
            let name = context.parameters.get("asset") ?? ""
            guard let asset = ConsoleAssets.asset(named: name) else {
                throw APIError.notFound("E_NOT_FOUND", "the console has no file '\(name)'")
            }
            return Self.response(asset)
        }
    }

    static func response(_ asset: ConsoleAssets.Asset) -> Response {
        var headers = securityHeaders
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
