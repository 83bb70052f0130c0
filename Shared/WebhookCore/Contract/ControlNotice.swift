/// A "webhook changed" notice on `webhooks.control`: the registry publishes one after every
/// committed create, update or delete, and every delivery replica refreshes its subscription index
/// on it. The body is canonical JSON: `{"change": …, "tenant_id": …, "webhook_id": …}`.
public struct ControlNotice: Sendable, Equatable {
    /// What happened to the webhook.
    public enum Change: String, Sendable, CaseIterable {
        case created, updated, deleted
    }

    public var change: Change
    public var tenantID: Int64
    public var webhookID: Int64

    public init(change: Change, tenantID: Int64, webhookID: Int64) {
        self.change = change
        self.tenantID = tenantID
        self.webhookID = webhookID
    }

    /// `content_type` of a notice.
    public static let contentType = "application/json"

    /// AMQP `type` property of the notice, e.g. `webhook.created`.
    public var messageType: String { "webhook.\(change.rawValue)" }

    /// A `message_id` for the notice published at `millis` (Unix milliseconds).
    public func messageID(at millis: Int64) -> String { "webhook-\(webhookID)-\(change.rawValue)-\(millis)" }

    /// Canonical JSON body.
    public var body: [UInt8] {
        CanonicalJSON.encode(
            .object([
                ("change", .string(change.rawValue)),
                ("tenant_id", .int(tenantID)),
                ("webhook_id", .int(webhookID)),
            ]))
    }

    /// Parses a notice body.
    public static func decode(_ body: [UInt8]) throws(EventValidationError) -> ControlNotice {
        let json = try EventMessage.messageJSON(body)
        guard let name = json["change"]?.stringValue, let change = Change(rawValue: name) else {
            throw EventValidationError(code: "E_INVALID_NOTICE", message: "a control notice needs 'change' (created, updated or deleted)", field: "change")
        }
        guard let tenantID = json["tenant_id"]?.int64Value else {
            throw EventValidationError(code: "E_INVALID_NOTICE", message: "a control notice needs an integer 'tenant_id'", field: "tenant_id")
        }
        guard let webhookID = json["webhook_id"]?.int64Value, webhookID > 0 else {
            throw EventValidationError(code: "E_INVALID_NOTICE", message: "a control notice needs a positive integer 'webhook_id'", field: "webhook_id")
        }
        return ControlNotice(change: change, tenantID: tenantID, webhookID: webhookID)
    }
}
