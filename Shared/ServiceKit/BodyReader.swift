import Foundation
import Hummingbird
import NIOCore
import WebhookCore

/// Reading and decoding request bodies with errors clients can act on.
public enum BodyReader {
    /// Collects the body, answering 413 `E_BODY_TOO_LARGE` beyond `limit` bytes.
    public static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw tooLarge(limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge(limit)
        }
    }

    private static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "E_BODY_TOO_LARGE", message: "the request body exceeds \(limit) bytes")
    }

    /// Decodes a JSON body into `T`, mapping decoding failures to 400 with a stable code that names the field.
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = 1 << 20) async throws -> T {
        let buffer = try await collect(request, limit: limit)
        guard buffer.readableBytes > 0 else {
            throw APIError.badRequest("E_INVALID_JSON", "the request body must be a JSON object")
        }
        return try decode(T.self, from: buffer)
    }

    /// Decodes a JSON body into `T`, or returns `nil` when the body is empty (all fields optional).
    public static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = 1 << 20) async throws -> T? {
        let buffer = try await collect(request, limit: limit)
        guard buffer.readableBytes > 0 else { return nil }
        return try decode(T.self, from: buffer)
    }

    /// Decodes collected bytes into `T`. A body with NUL in any string is refused first with 400
    /// `E_INVALID_CHARACTER` naming the field (`StorableText`): no field of any request may carry it.
    public static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        try InputText.checkBody(buffer.readableBytesView)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            // Foundation reports a number that does not fit its field (1e400, 2^64, 1.5 for an
            // integer) as invalid JSON without naming the field: find it in the valid document.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let json = try? JSONParser.parse(buffer.readableBytesView), case .object = json, let path = firstUnfitNumber(in: json, path: "")
            {
                throw APIError.badRequest("E_INVALID_VALUE", "field '\(path)' must be a whole number from \(Int64.min) to \(Int64.max)")
            }
            throw describe(error)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("E_INVALID_JSON", "the request body is not valid JSON")
        }
    }

    /// A client-facing error for a `DecodingError`: the field and what it must be, never the
    /// decoder's own description (which names Swift types).
    public static func describe(_ error: DecodingError) -> APIError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let full = path(context.codingPath + [key])
            return .badRequest("E_MISSING_FIELD", "field '\(full)' is required")
        case .typeMismatch(let expected, let context):
            let kind = typeName(expected)
            if context.codingPath.isEmpty {
                return .badRequest("E_INVALID_JSON", "the request body must be a JSON \(kind ?? "object")")
            }
            guard let kind else { return .badRequest("E_WRONG_TYPE", "field '\(path(context.codingPath))' has the wrong type") }
            return .badRequest("E_WRONG_TYPE", "field '\(path(context.codingPath))' must be of type \(kind)")
        case .valueNotFound(let expected, let context):
            if context.codingPath.isEmpty {
                return .badRequest("E_INVALID_JSON", "the request body must be a JSON \(typeName(expected) ?? "object"), not null")
            }
            return .badRequest("E_WRONG_TYPE", "field '\(path(context.codingPath))' must be \(typeName(expected) ?? "a value"), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .badRequest("E_INVALID_JSON", "the request body is not valid JSON")
            }
            return .badRequest(
                "E_INVALID_VALUE", "field '\(path(context.codingPath))' has a value that is not allowed here (out of range, or not one of the accepted values)")
        @unknown default:
            return .badRequest("E_INVALID_JSON", "the request body could not be decoded")
        }
    }

    /// The path of the first number in `value` that no integer field can take, if any.
    private static func firstUnfitNumber(in value: JSONValue, path: String) -> String? {
        switch value {
        case .integer(let literal): return Int64(literal) == nil ? path : nil
        case .double(let d): return d.rounded() == d && abs(d) < 9.2e18 ? nil : path
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstUnfitNumber(in: item, path: "\(path)[\(index)]") { return found }
            }
            return nil
        case .object(let members):
            for member in members {
                if let found = firstUnfitNumber(in: member.value, path: path.isEmpty ? member.key : "\(path).\(member.key)") { return found }
            }
            return nil
        case .null, .bool, .string: return nil
        }
    }

    /// The JSON kind of a decoded type, or `nil` for a type JSON has no name for.
    private static func typeName(_ type: Any.Type) -> String? {
        switch type {
        case is String.Type: return "string"
        case is Bool.Type: return "boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type, is UInt32.Type: return "integer"
        case is Double.Type, is Float.Type: return "number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "array" }
            if name.hasPrefix("Dictionary") { return "object" }
            return nil
        }
    }
}
