import Foundation
import Hummingbird
import NIOCore

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

    /// Decodes collected bytes into `T`.
    public static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw describe(error)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("E_INVALID_JSON", "the request body is not valid JSON")
        }
    }

    /// A client-facing error for a `DecodingError`.
    public static func describe(_ error: DecodingError) -> APIError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let full = path(context.codingPath + [key])
            return .badRequest("E_MISSING_FIELD", "field '\(full)' is required")
        case .typeMismatch(let expected, let context):
            if context.codingPath.isEmpty {
                return .badRequest("E_INVALID_JSON", "the request body must be a JSON \(typeName(expected))")
            }
            return .badRequest("E_WRONG_TYPE", "field '\(path(context.codingPath))' must be of type \(typeName(expected))")
        case .valueNotFound(let expected, let context):
            return .badRequest("E_WRONG_TYPE", "field '\(path(context.codingPath))' must be \(typeName(expected)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .badRequest("E_INVALID_JSON", "the request body is not valid JSON")
            }
            return .badRequest("E_INVALID_VALUE", "field '\(path(context.codingPath))': \(context.debugDescription)")
        @unknown default:
            return .badRequest("E_INVALID_JSON", "the request body could not be decoded")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "string"
        case is Bool.Type: return "boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: return "integer"
        case is Double.Type: return "number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "array" }
            if name.hasPrefix("Dictionary") { return "object" }
            return name
        }
    }
}
