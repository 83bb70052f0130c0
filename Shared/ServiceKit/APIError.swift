import Foundation
import HTTPTypes
import Hummingbird

/// An error answered to an API client: an HTTP status, a stable string code and a helpful message.
///
/// Rendered as `{"code": "<E_...>", "message": "...", "msg": "...", "data": null}` so that clients of
/// every dialect find the field they read.
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// Stable machine-readable code, e.g. `E_NOT_FOUND`.
    public var code: String
    /// What went wrong and how to fix it.
    public var message: String
    /// Extra headers, e.g. `Retry-After`.
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var out: [UInt8] = []
        out.append(contentsOf: "{\"code\": ".utf8)
        CanonicalString.write(code, into: &out)
        out.append(contentsOf: ", \"message\": ".utf8)
        CanonicalString.write(message, into: &out)
        out.append(contentsOf: ", \"msg\": ".utf8)
        CanonicalString.write(message, into: &out)
        out.append(contentsOf: ", \"data\": null}".utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: out)))
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

import WebhookCore

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
