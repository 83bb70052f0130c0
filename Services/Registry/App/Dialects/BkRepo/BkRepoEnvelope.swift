import Foundation

/// bkrepo's envelope `{"code": 0, "message": null, "data": ..., "traceId": ...}`.
struct BkRepoEnvelope<T: Encodable>: Encodable {
    let data: T?
    let traceId: String

    enum CodingKeys: String, CodingKey { case code, message, data, traceId }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(0, forKey: .code)
        try c.encodeNil(forKey: .message)
        if let data { try c.encode(data, forKey: .data) } else { try c.encodeNil(forKey: .data) }
        try c.encode(traceId, forKey: .traceId)
    }
}
