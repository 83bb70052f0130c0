import Hummingbird

/// Refuses requests whose path or query carries control characters (`InputText.checkParameters`),
/// for every route at once: 400 `E_INVALID_CHARACTER`.
public struct ParameterTextMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    /// Creates the middleware; add it after authentication, so callers without a token learn nothing.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try InputText.checkParameters(request)
        return try await next(request, context)
    }
}
