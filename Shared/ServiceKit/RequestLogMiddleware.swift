import Hummingbird

/// One log line per request: method, path, status and duration — and, with `metrics`, the same
/// counted for `/metrics`. Never logs bodies or headers, which may carry secrets and tokens.
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let metrics: HTTPMetrics?

    public init(metrics: HTTPMetrics? = nil) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: Int(response.status.code), start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context, status: Int(error.status.code), start)
            throw error
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            log(request, context, status: 500, start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, _ start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        metrics?.record(method: request.method.rawValue, status: status, elapsed: elapsed)
        let ms = elapsed.components
        context.logger.info(
            "\(request.method) \(request.uri.path) \(status)",
            metadata: [
                "ms": "\(ms.seconds * 1000 + ms.attoseconds / 1_000_000_000_000_000)",
                "subject": "\(context.identity?.subject ?? "-")",
            ])
    }
}
