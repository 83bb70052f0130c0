import Hummingbird

/// `/healthz` (the process is alive) and `/readyz` (its dependencies answer).
public enum HealthRoutes {
    /// Paths served without a token: health, and metrics (counts only, no tenant data).
    public static let paths: Set<String> = ["/healthz", "/readyz", MetricsRoute.path]

    /// Adds both routes. `ready` returns `nil` when ready, or the name of what is not.
    public static func add<Context: RequestContext>(
        to router: Router<Context>, ready: @escaping @Sendable () async -> String?
    ) {
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status": "ok"}"#)))
        }
        router.get("/readyz") { _, _ in
            if let problem = await ready() {
                var out: [UInt8] = Array(#"{"status": "unavailable", "reason": "#.utf8)
                CanonicalString.write(problem, into: &out)
                out.append(UInt8(ascii: "}"))
                return Response(status: .serviceUnavailable, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: out)))
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status": "ready"}"#)))
        }
    }
}
