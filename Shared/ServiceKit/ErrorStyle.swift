import Foundation
import Hummingbird
import WebhookCore

/// The error envelope a route family answers with, so each API dialect's clients find their fields.
public enum ErrorStyle: Sendable, Equatable {
    /// `{"code": "E_...", "message": "...", "msg": "...", "data": null}`: every dialect's field (the default).
    case union
    /// The canonical API: `{"code": "E_...", "message": "...", "data": null}`.
    case canonical
    /// Seed 000: `{"code": "E_...", "msg": "...", "data": null}`.
    case codeMsg
    /// Seed 003: `{"code": "E_...", "message": "...", "data": null, "traceId": "..."}`.
    case traced
    /// Seed 004 (FastAPI-like): `{"detail": "...", "code": "E_..."}`.
    case detail
}

extension APIError {
    /// The error as a response in `style`.
    /// - Parameters:
    ///   - style: the envelope.
    ///   - traceId: the request's trace id (seed 003's `traceId`).
    public func response(style: ErrorStyle, traceId: String? = nil) -> Response {
        var out: [UInt8] = []
        func member(_ key: String, _ value: String?, first: Bool = false) {
            out.append(contentsOf: (first ? "\"" : ", \"").utf8)
            out.append(contentsOf: key.utf8)
            out.append(contentsOf: "\": ".utf8)
            if let value { CanonicalJSON.writeString(value, into: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(UInt8(ascii: "{"))
        switch style {
        case .union:
            member("code", code, first: true); member("message", message); member("msg", message); member("data", nil)
        case .canonical:
            member("code", code, first: true); member("message", message); member("data", nil)
        case .codeMsg:
            member("code", code, first: true); member("msg", message); member("data", nil)
        case .traced:
            member("code", code, first: true); member("message", message); member("data", nil); member("traceId", traceId)
        case .detail:
            member("detail", message, first: true); member("code", code)
        }
        out.append(UInt8(ascii: "}"))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    /// 409 with a code.
    public static func conflict(_ code: String, _ message: String) -> APIError { .init(.conflict, code: code, message: message) }
    /// 422 with a code: well-formed input whose value cannot be used.
    public static func unprocessable(_ code: String, _ message: String) -> APIError { .init(.unprocessableContent, code: code, message: message) }
    /// 503 while RabbitMQ is unreachable.
    public static func brokerUnavailable(_ message: String = "the message broker is unavailable; try again shortly") -> APIError {
        .init(.serviceUnavailable, code: "E_BROKER_UNAVAILABLE", message: message, headers: [.retryAfter: "5"])
    }
    /// 500 for failures the client cannot fix.
    public static func internalError(_ message: String = "internal error") -> APIError {
        .init(.internalServerError, code: "E_INTERNAL", message: message)
    }
}

/// Renders every error a route throws in the envelope its dialect uses; add it first, so it also
/// covers authentication failures and unknown routes. Errors that are not `APIError`s become one
/// (Hummingbird's own, e.g. 404 for an unknown route) or a logged 500 `E_INTERNAL`.
public struct ErrorEnvelopeMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    let style: @Sendable (Request) -> ErrorStyle

    /// - Parameter style: picks the envelope for a request (usually by path).
    public init(style: @escaping @Sendable (Request) -> ErrorStyle) {
        self.style = style
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response(style: style(request), traceId: context.traceId)
        } catch let error as HTTPError {
            let apiError: APIError = switch error.status {
            case .notFound: .notFound("E_NOT_FOUND", "no route \(request.method) \(request.uri.path)")
            case .methodNotAllowed: .init(.methodNotAllowed, code: "E_METHOD_NOT_ALLOWED", message: "\(request.method) is not allowed on \(request.uri.path)")
            case .contentTooLarge: .init(.contentTooLarge, code: "E_BODY_TOO_LARGE", message: error.body ?? "the request body is too large")
            case .unauthorized: .unauthorized()
            default: .init(error.status, code: "E_HTTP_\(error.status.code)", message: error.body ?? error.status.reasonPhrase)
            }
            return apiError.response(style: style(request), traceId: context.traceId)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return APIError.internalError().response(style: style(request), traceId: context.traceId)
        }
    }
}
