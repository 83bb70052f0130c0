import Foundation
import Hummingbird
import WebhookCore

/// Encodes response bodies with stable key order and ISO dates.
public enum JSONResponse {
    /// `value` as a JSON response with `status`.
    public static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return response(ByteBuffer(bytes: try encoder.encode(value)), status: status)
    }

    /// `json` written directly (canonical JSON: sorted keys), without `JSONEncoder` — for answers on
    /// hot paths.
    public static func make(json: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        response(ByteBuffer(bytes: CanonicalJSON.encode(json)), status: status)
    }

    private static func response(_ body: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}

/// The canonical envelope `{"code": 0, "message": ..., "data": ...}`.
public struct Envelope<T: Encodable>: Encodable {
    public var code: Int = 0
    public var message: String
    public var data: T?

    public init(message: String = "success", data: T?) {
        self.message = message
        self.data = data
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: EnvelopeKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(message, forKey: .message)
        if let data { try c.encode(data, forKey: .data) } else { try c.encodeNil(forKey: .data) }
    }
}

private enum EnvelopeKeys: String, CodingKey { case code, message, data }
