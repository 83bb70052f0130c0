import Hummingbird
import Prometheus

/// `GET /metrics`: the Prometheus text exposition of a service's registry, followed by the
/// process's own CPU, memory and file-descriptor figures.
public enum MetricsRoute {
    /// The path, served without a token (it holds counts, never tenant data or secrets).
    public static let path = "/metrics"

    /// Adds the route. `beforeEmit` refreshes gauges that are read rather than tracked (sizes of
    /// in-memory structures) just before each scrape.
    public static func add<Context: RequestContext>(
        to router: Router<Context>, registry: PrometheusCollectorRegistry,
        beforeEmit: @escaping @Sendable () -> Void = {}
    ) {
        router.get(RouterPath(path)) { _, _ in
            beforeEmit()
            var out: [UInt8] = []
            out.reserveCapacity(16 * 1024)
            registry.emit(into: &out)
            ProcessStatistics.read()?.emit(into: &out)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: out)))
        }
    }
}
