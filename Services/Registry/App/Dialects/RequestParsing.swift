import Foundation
import Hummingbird
import ServiceKit
import WebhookCore

/// Path and query parameters with errors clients can act on.
enum RequestParsing {
    /// A positive integer id from the path; 404 with `code` otherwise (no such resource can exist).
    static func pathID(_ context: AppRequestContext, _ name: String, code: String = "E_NOT_FOUND", what: String = "webhook") throws -> Int64 {
        guard let text = context.parameters.get(name), let id = Int64(text), id > 0 else {
            throw APIError.notFound(code, "\(what) '\(context.parameters.get(name) ?? "")' does not exist (ids are positive integers)")
        }
        return id
    }

    /// An optional integer query parameter within `range`; 400 `E_INVALID_QUERY` otherwise.
    static func int(_ request: Request, _ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = request.uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard let n = Int(text), range.contains(n) else {
            throw APIError.badRequest("E_INVALID_QUERY", "'\(name)' must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// An optional positive id in the query; 400 `E_INVALID_QUERY` otherwise.
    static func id(_ request: Request, _ name: String) throws -> Int64? {
        guard let text = request.uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard let n = Int64(text), n > 0 else { throw APIError.badRequest("E_INVALID_QUERY", "'\(name)' must be a positive integer") }
        return n
    }

    /// An optional string query parameter.
    static func string(_ request: Request, _ name: String) -> String? {
        guard let text = request.uri.queryParameters.get(name), !text.isEmpty else { return nil }
        return text
    }

    /// An optional enum query parameter; 400 `E_INVALID_QUERY` naming the allowed values otherwise.
    static func value<T: RawRepresentable & CaseIterable>(_ request: Request, _ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = string(request, name) else { return nil }
        guard let value = T(rawValue: text) ?? T(rawValue: text.lowercased()) ?? T(rawValue: text.uppercased()) else {
            throw APIError.badRequest("E_INVALID_QUERY", "'\(name)' must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// An optional RFC 3339 time in the query; 400 `E_INVALID_QUERY` otherwise.
    static func date(_ request: Request, _ name: String) throws -> Date? {
        guard let text = string(request, name) else { return nil }
        guard let date = parseDate(text) else {
            throw APIError.badRequest("E_INVALID_QUERY", "'\(name)' must be an RFC 3339 time such as 2026-01-26T10:00:00Z")
        }
        return date
    }

    /// The RFC 3339 time of body field `name`; 400 `E_INVALID_VALUE` otherwise.
    static func bodyDate(_ text: String, _ name: String) throws -> Date {
        guard let date = parseDate(text) else {
            throw APIError.badRequest("E_INVALID_VALUE", "'\(name)' must be an RFC 3339 time such as 2026-01-26T10:00:00Z")
        }
        return date
    }

    /// An RFC 3339 time, with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        if let d = try? Date(text, strategy: .iso8601) { return d }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `status=success|failed` (also the bkrepo dialect's `SUCCESS`/`FAIL`) as a success flag.
    static func outcome(_ request: Request) throws -> Bool? {
        guard let text = string(request, "status")?.lowercased() else { return nil }
        switch text {
        case "success", "succeeded", "ok": return true
        case "failed", "fail", "failure", "error": return false
        default: throw APIError.badRequest("E_INVALID_QUERY", "'status' must be 'success' or 'failed'")
        }
    }

    /// A boolean query parameter (`true`/`false`/`1`/`0`).
    static func bool(_ request: Request, _ name: String) throws -> Bool? {
        guard let text = string(request, name)?.lowercased() else { return nil }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.badRequest("E_INVALID_QUERY", "'\(name)' must be true or false")
        }
    }
}
