import Foundation
import ServiceKit

/// bkrepo's envelope `{"code": 0, "message": null, "data": ..., "traceId": ...}`. bkrepo's `traceId` is
/// the request's id (`AppRequestContext.requestId`), the same the `X-Request-Id` header answers and the
/// log lines carry, so a bkrepo client's report leads to them.
struct BkRepoEnvelope<T: Encodable>: Encodable {
    let data: T?
    let traceId: String

    /// `data` answered to the request of `context`.
    init(data: T?, context: AppRequestContext) {
        self.data = data
        self.traceId = context.requestId
    }

    enum CodingKeys: String, CodingKey { case code, message, data, traceId }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(0, forKey: .code)
        try c.encodeNil(forKey: .message)
        if let data { try c.encode(data, forKey: .data) } else { try c.encodeNil(forKey: .data) }
        try c.encode(traceId, forKey: .traceId)
    }
}

extension ErrorStyle {
    /// bkrepo's errors: `{"code": "E_...", "message": "...", "data": null, "traceId": "..."}`, `traceId`
    /// being the request's id as in `BkRepoEnvelope`.
    static let bkRepo = ErrorStyle { code, message, requestId in
        [("code", code), ("message", message), ("data", nil), ("traceId", requestId)]
    }
}
