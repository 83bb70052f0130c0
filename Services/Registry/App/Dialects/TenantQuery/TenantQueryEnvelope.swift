import Foundation
import ServiceKit

/// The tenant-parameter dialect's envelope `{"code": 0, "msg": "success", "data": ...}`, with extra top-level members
/// (the named create, `name, url, secret, events`, answers `webhook_id` and `status` at the top).
struct TenantQueryEnvelope<T: Encodable>: Encodable {
    let msg: String
    let data: T
    var webhookId: Int64? = nil
    var status: String? = nil

    enum CodingKeys: String, CodingKey { case code, msg, data, webhook_id, status }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(0, forKey: .code)
        try c.encode(msg, forKey: .msg)
        try c.encode(data, forKey: .data)
        if let webhookId { try c.encode(webhookId, forKey: .webhook_id) }
        if let status { try c.encode(status, forKey: .status) }
    }
}

extension ErrorStyle {
    /// The tenant-parameter dialect's errors: `{"code": "E_...", "msg": "...", "data": null}`.
    static let tenantQuery = ErrorStyle { code, message, _ in [("code", code), ("msg", message), ("data", nil)] }
}
