import Foundation
import HTTPTypes
import Hummingbird
import WebhookCore

/// An error answered to an API client: an HTTP status, a stable string code and a helpful message.
///
/// Rendered as `{"code": "<E_...>", "message": "...", "msg": "...", "data": null}` so that clients of
/// every dialect find the field they read.
///
/// A 500 never shows its cause: whatever its message, it is answered as `E_INTERNAL` with a
/// generic message and the request's id (`request_id`), and the cause goes to the log under that
/// id (`ErrorEnvelopeMiddleware`).
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// Stable machine-readable code, e.g. `E_NOT_FOUND`.
    public var code: String
    /// What went wrong and how to fix it.
    public var message: String
    /// Extra headers, e.g. `Retry-After`.
    public var headers: HTTPFields
    /// What really went wrong, for the log only: never part of a response.
    public var cause: String?

    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:], cause: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.cause = cause
    }

    public var description: String { "\(status.code) \(code): \(message)" + (cause.map { " (\($0))" } ?? "") }

    /// Whether the client is answered only that something failed inside: every 5xx but 503, whose
    /// answers (database or broker unavailable, retry later) are written for clients.
    public var isInternal: Bool { status.code >= 500 && status != .serviceUnavailable }

    /// The error in the union envelope (used where no `ErrorEnvelopeMiddleware` renders it).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(style: .union, requestId: (context as? AppRequestContext)?.requestId)
    }

    // Common errors.

    /// 400 with a code.
    public static func badRequest(_ code: String, _ message: String) -> APIError { .init(.badRequest, code: code, message: message) }
    /// 401: no or bad token.
    public static func unauthorized(_ message: String = "a valid bearer token is required") -> APIError {
        .init(.unauthorized, code: "E_UNAUTHORIZED", message: message, headers: [.wwwAuthenticate: "Bearer"])
    }
    /// 403: the token's role may not do this.
    public static func forbidden(_ message: String) -> APIError { .init(.forbidden, code: "E_FORBIDDEN", message: message) }
    /// 404.
    public static func notFound(_ code: String = "E_NOT_FOUND", _ message: String) -> APIError { .init(.notFound, code: code, message: message) }
    /// 503 while PostgreSQL is unreachable.
    public static func databaseUnavailable() -> APIError {
        .init(.serviceUnavailable, code: "E_DB_UNAVAILABLE", message: "the database is unavailable; try again shortly", headers: [.retryAfter: "5"])
    }
}

/// JSON string literal writing shared by hand-built responses.
enum CanonicalString {
    static func write(_ s: String, into out: inout [UInt8]) {
        CanonicalJSON.writeString(s, into: &out)
    }
}

extension HTTPField.Name {
    /// `Retry-After`, sent with 503 answers.
    public static let retryAfter = HTTPField.Name("Retry-After")!
}
