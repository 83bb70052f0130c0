import HTTPTypes
import Hummingbird

/// Answers every request with its id in `X-Request-Id` (`AppRequestContext.requestId`): the key to
/// the request's log lines. Add it first, before `ErrorEnvelopeMiddleware`, so error answers get it
/// too.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.requestID] = context.requestId
        return response
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`: the request's id, as logged.
    public static let requestID = HTTPField.Name("X-Request-Id")!
}
