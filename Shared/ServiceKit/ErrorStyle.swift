import Foundation
import Hummingbird
import WebhookCore

/// The error envelope a route family answers with, so each API dialect's clients find their fields:
/// the members an error is written as, in order. A service defines the styles of its own dialects;
/// `union` is the one every service shares.
public struct ErrorStyle: Sendable {
    /// One member of an error envelope: its key and a string value, or `nil` for JSON `null`.
    public typealias Member = (key: String, value: String?)

    let members: @Sendable (_ code: String, _ message: String, _ requestId: String?) -> [Member]

    /// A style.
    /// - Parameter members: the envelope's members, in order, for an error's answered code and
    ///   message and the request's id (`nil` where there is none).
    public init(members: @escaping @Sendable (_ code: String, _ message: String, _ requestId: String?) -> [Member]) {
        self.members = members
    }

    /// `{"code": "E_...", "message": "...", "msg": "...", "data": null}`: every dialect's field (the default).
    public static let union = ErrorStyle { code, message, _ in [("code", code), ("message", message), ("msg", message), ("data", nil)] }
}

extension APIError {
    /// The generic message of an internal error.
    public static let internalMessage = "internal error; the operator can find what happened in the service log by this request's id"

    /// The error as a response in `style`.
    ///
    /// An internal error (`isInternal`) is answered as 500 `E_INTERNAL` with `internalMessage`
    /// and `request_id`, whatever its code and message were: its cause is logged, never answered.
    /// - Parameters:
    ///   - style: the envelope.
    ///   - requestId: the request's id: `request_id` of internal errors, and whatever `style` makes of it.
    public func response(style: ErrorStyle, requestId: String? = nil) -> Response {
        let hidden = isInternal
        let code = hidden ? "E_INTERNAL" : self.code
        let message = hidden ? Self.internalMessage : self.message
        var out: [UInt8] = []
        func member(_ key: String, _ value: String?, first: Bool = false) {
            out.append(contentsOf: (first ? "\"" : ", \"").utf8)
            out.append(contentsOf: key.utf8)
            out.append(contentsOf: "\": ".utf8)
            if let value { CanonicalJSON.writeString(value, into: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(UInt8(ascii: "{"))
        for (index, item) in style.members(code, message, requestId).enumerated() {
            member(item.key, item.value, first: index == 0)
        }
        if hidden, let requestId { member("request_id", requestId) }
        out.append(UInt8(ascii: "}"))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: hidden ? .internalServerError : status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    /// 409 with a code.
    public static func conflict(_ code: String, _ message: String) -> APIError { .init(.conflict, code: code, message: message) }
    /// 422 with a code: well-formed input whose value cannot be used.
    public static func unprocessable(_ code: String, _ message: String) -> APIError { .init(.unprocessableContent, code: code, message: message) }
    /// 503 while RabbitMQ is unreachable.
    public static func brokerUnavailable(_ message: String = "the message broker is unavailable; try again shortly") -> APIError {
        .init(.serviceUnavailable, code: "E_BROKER_UNAVAILABLE", message: message, headers: [.retryAfter: "5"])
    }
    /// 500 `E_INTERNAL` for failures the client cannot fix; `cause` is logged, never answered.
    public static func internalError(cause: String) -> APIError {
        .init(.internalServerError, code: "E_INTERNAL", message: internalMessage, cause: cause)
    }
}

/// Renders every error a route throws in the envelope its dialect uses; add it first, so it also
/// covers authentication failures and unknown routes. Errors that are not `APIError`s become one
/// (Hummingbird's own, e.g. 404 for an unknown route) or a 500 `E_INTERNAL`. Every internal error
/// is logged with its cause and the request's id (`hb.request.id`), which its answer carries as
/// `request_id`; its answer says nothing else about it.
public struct ErrorEnvelopeMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    let style: @Sendable (Request) -> ErrorStyle

    /// - Parameter style: picks the envelope for a request (usually by path).
    public init(style: @escaping @Sendable (Request) -> ErrorStyle) {
        self.style = style
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let apiError: APIError
        do {
            return try await next(request, context)
        } catch let error as APIError {
            apiError = error
        } catch let error as HTTPError {
            apiError =
                switch error.status {
                case .notFound: .notFound("E_NOT_FOUND", "no route \(request.method) \(request.uri.path)")
                case .methodNotAllowed:
                    .init(.methodNotAllowed, code: "E_METHOD_NOT_ALLOWED", message: "\(request.method) is not allowed on \(request.uri.path)")
                case .contentTooLarge: .init(.contentTooLarge, code: "E_BODY_TOO_LARGE", message: error.body ?? "the request body is too large")
                case .unauthorized: .unauthorized()
                default:
                    .init(
                        error.status, code: "E_HTTP_\(error.status.code)", message: error.body ?? error.status.reasonPhrase,
                        cause: "HTTPError \(error.status.code): \(error.body ?? "")")
                }
        } catch {
            apiError = .internalError(cause: String(reflecting: error))
        }
        if apiError.isInternal {
            context.logger.error(
                "internal error",
                metadata: [
                    "request_id": "\(context.requestId)", "method": "\(request.method)", "path": "\(request.uri.path)",
                    "code": "\(apiError.code)", "error": "\(apiError.cause ?? apiError.message)",
                ])
        }
        return apiError.response(style: style(request), requestId: context.requestId)
    }
}
