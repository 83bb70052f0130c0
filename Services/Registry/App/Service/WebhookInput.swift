import Foundation
import Patterns
import ServiceKit
import WebhookCore

/// The fields of a webhook create or update request: the union of every dialect's spelling
/// (`events`/`triggers`, `secret`/`token`, `resource_key_pattern`/`resourceKeyPattern`, ...).
/// Fields not sent keep their value; `null` clears optional fields.
struct WebhookInput: Decodable {
    var id: Int64?
    var tenantId: Field<Int64>
    var name: Field<String>
    var description: Field<String>
    var url: Field<String>
    var secret: Field<String>
    var events: Field<[String]>
    var enabled: Field<Bool>
    var status: Field<String>
    var headers: Field<[String: String]>
    var resourceKeyPattern: Field<String>
    /// The payload filter document (`PayloadFilter`); `null` removes the filter. As decoded here,
    /// object members are sorted and integers beyond 64 bits are approximate: `read(from:limit:)`
    /// puts the document exactly as sent in its place.
    var filter: Field<JSONValue>
    var associationType: Field<String>
    var associationId: Field<String>
    var retryEnabled: Field<Bool>
    var maxAttempts: Field<Int>
    /// Delivery overrides (`null` clears: the global setting applies again).
    var rateLimit: Field<Int>
    var maxInFlight: Field<Int>
    var retrySchedule: Field<[Int]>
    var signatureHeader: Field<String>
    var eventHeader: Field<String>

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.flexibleID("id", "webhook_id")
        tenantId = try c.field("tenant_id", "tenantId")
        name = try c.field("name")
        description = try c.field("description")
        url = try c.field("url")
        secret = try c.field("secret", "token")
        events = try c.field("events", "triggers")
        enabled = try c.field("enabled")
        status = try c.field("status")
        headers = try c.field("headers")
        resourceKeyPattern = try c.field("resource_key_pattern", "resourceKeyPattern")
        filter = try c.field("filter")
        associationType = try c.field("association_type", "associationType")
        associationId = try c.field("association_id", "associationId")
        retryEnabled = try c.field("retry_enabled", "retryEnabled")
        maxAttempts = try c.field("max_attempts", "maxAttempts")
        rateLimit = try c.field("rate_limit", "rateLimit")
        maxInFlight = try c.field("max_in_flight", "maxInFlight")
        retrySchedule = try c.field("retry_schedule", "retrySchedule")
        signatureHeader = try c.field("signature_header", "signatureHeader")
        eventHeader = try c.field("event_header", "eventHeader")
    }

    /// `base` with this input applied and validated.
    /// - Parameters:
    ///   - base: the stored webhook, or a template with defaults for a new one.
    ///   - creating: whether `url` is required.
    func apply(to base: Webhook, creating: Bool) throws -> Webhook {
        var w = base
        if creating, !url.isPresent { throw APIError.badRequest("E_MISSING_FIELD", "field 'url' is required") }
        // Plain spaces around a pasted URL are dropped; anything else (tabs, line breaks) is left
        // for validation to refuse, never trimmed into another URL.
        w.url = WebhookRules.trimmingSpaces(try url.resolve(w.url, name: "url"))
        w.name = try name.resolve(w.name, name: "name")
        w.description = description.resolveOptional(w.description) ?? ""
        w.events = try events.resolve(w.events, name: "events")
        w.headers = headers.resolveOptional(w.headers) ?? [:]
        w.resourceKeyPattern = resourceKeyPattern.resolveOptional(w.resourceKeyPattern).flatMap { $0.isEmpty ? nil : $0 }
        w.filter = filter.resolveOptional(w.filter)
        w.associationId = associationId.resolveOptional(w.associationId).flatMap { $0.isEmpty ? nil : $0 }
        w.retryEnabled = try retryEnabled.resolve(w.retryEnabled, name: "retry_enabled")
        w.maxAttempts = try maxAttempts.resolve(w.maxAttempts, name: "max_attempts")
        w.rateLimit = rateLimit.resolveOptional(w.rateLimit)
        w.maxInFlight = maxInFlight.resolveOptional(w.maxInFlight)
        w.retrySchedule = retrySchedule.resolveOptional(w.retrySchedule)
        w.signatureHeader = try signatureHeader.resolve(w.signatureHeader, name: "signature_header")
        w.eventHeader = try eventHeader.resolve(w.eventHeader, name: "event_header")
        if let text = try associationType.value.map({ $0.uppercased() }) {
            guard let type = AssociationType(rawValue: text) else {
                throw APIError.badRequest("E_INVALID_VALUE", "'association_type' must be SYSTEM, PROJECT or REPO, not '\(text)'")
            }
            w.associationType = type
        } else if case .null = associationType {
            w.associationType = .system
        }
        if case .value(let s) = secret {
            w.secret = s.isEmpty ? WebhookSigner.generateSecret() : s
        }
        if let status = status.value {
            switch status.lowercased() {
            case "active": w.status = .active
            case "disabled": w.status = .disabled
            default: throw APIError.badRequest("E_INVALID_VALUE", "'status' must be 'active' or 'disabled', not '\(status)'")
            }
            w.disabledReason = nil
        }
        if let enabled = enabled.value {
            w.status = enabled ? .active : .disabled
            w.disabledReason = nil
        }
        try WebhookRules.validate(w)
        return w
    }
}

/// Checks a complete webhook definition; shared by every dialect.
enum WebhookRules {
    static let maximumNameLength = 200
    static let maximumDescriptionLength = 2000
    static let maximumSecretLength = 256

    static func validate(_ w: Webhook) throws {
        do throws(WebhookValidationError) {
            try WebhookValidation.validateURL(w.url)
            try WebhookValidation.validateEvents(w.events)
            try WebhookValidation.validateHeaderNames(signatureHeader: w.signatureHeader, eventHeader: w.eventHeader)
            try WebhookValidation.validateHeaders(w.headers, signatureHeader: w.signatureHeader, eventHeader: w.eventHeader)
        } catch {
            throw APIError.badRequest(error.code, error.message)
        }
        guard w.name.count <= maximumNameLength else {
            throw APIError.badRequest("E_INVALID_VALUE", "'name' may be at most \(maximumNameLength) characters")
        }
        guard w.description.count <= maximumDescriptionLength else {
            throw APIError.badRequest("E_INVALID_VALUE", "'description' may be at most \(maximumDescriptionLength) characters")
        }
        guard !w.secret.isEmpty, w.secret.utf8.count <= maximumSecretLength else {
            throw APIError.badRequest("E_INVALID_VALUE", "'secret' must be 1 to \(maximumSecretLength) bytes")
        }
        guard (1...50).contains(w.maxAttempts) else {
            throw APIError.badRequest("E_INVALID_VALUE", "'max_attempts' must be between 1 and 50")
        }
        if let pattern = w.resourceKeyPattern {
            do throws(ResourcePatternError) {
                try ResourcePatternValidator.validate(pattern)
            } catch {
                let problem = error.position.map { "invalid pattern at position \($0)" } ?? "is not a valid RE2 pattern"
                throw APIError.unprocessable("E_INVALID_PATTERN", "'resource_key_pattern' \(problem): \(error.reason)")
            }
        }
        if let filter = w.filter { try validateFilter(filter) }
        try validateDeliveryOverrides(w)
        try validateAssociation(w.associationType, w.associationId)
    }

    /// Compiles a filter document as delivery will: 422 with the filter error's code, and its
    /// path in the message (`'filter' at <path>: <what is wrong>`).
    static func validateFilter(_ document: JSONValue) throws {
        do throws(PayloadFilterError) {
            _ = try PayloadFilter.compile(document)
        } catch {
            throw APIError.unprocessable(error.code, "'filter' at \(error.path): \(error.message)")
        }
    }

    /// The per-webhook delivery overrides: 422 `E_INVALID_VALUE` naming the field and its bounds.
    static func validateDeliveryOverrides(_ w: Webhook) throws {
        if let rate = w.rateLimit, !Webhook.rateLimitRange.contains(rate) {
            throw APIError.unprocessable(
                "E_INVALID_VALUE",
                "'rate_limit' must be between \(Webhook.rateLimitRange.lowerBound) and \(Webhook.rateLimitRange.upperBound) requests per second, or null")
        }
        if let cap = w.maxInFlight, !Webhook.maxInFlightRange.contains(cap) {
            throw APIError.unprocessable(
                "E_INVALID_VALUE", "'max_in_flight' must be between \(Webhook.maxInFlightRange.lowerBound) and \(Webhook.maxInFlightRange.upperBound), or null")
        }
        if let schedule = w.retrySchedule {
            let lengths = Webhook.retryScheduleLength, delays = Webhook.retryDelayRange
            guard lengths.contains(schedule.count), schedule.allSatisfy(delays.contains) else {
                throw APIError.unprocessable(
                    "E_INVALID_VALUE",
                    "'retry_schedule' must be \(lengths.lowerBound) to \(lengths.upperBound) delays in seconds, each between \(delays.lowerBound) and \(delays.upperBound), or null"
                )
            }
        }
    }

    /// PROJECT ids are `projectId`; REPO ids are `projectId:repoName`.
    static func validateAssociation(_ type: AssociationType, _ id: String?) throws {
        guard let id else { return }
        guard id.utf8.count <= 512 else { throw APIError.badRequest("E_INVALID_VALUE", "'association_id' may be at most 512 bytes") }
        switch type {
        case .system: break
        case .project:
            guard !id.contains(":") else {
                throw APIError.badRequest("E_INVALID_VALUE", "a PROJECT 'association_id' is a project id without ':'")
            }
        case .repo:
            let parts = id.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw APIError.badRequest("E_INVALID_VALUE", "a REPO 'association_id' must be 'projectId:repoName'")
            }
        }
    }

    /// Refuses a webhook delivery could not send (its URL or headers break `WebhookValidation`'s
    /// rules): checked before enabling one, e.g. a row disabled by migration 17.
    static func validateDeliverable(_ w: Webhook) throws {
        do throws(WebhookValidationError) {
            try WebhookValidation.validateDeliverable(w)
        } catch {
            throw APIError.badRequest(error.code, error.message + "; fix it before enabling the webhook")
        }
    }

    /// `text` without the plain spaces (U+0020) around it.
    static func trimmingSpaces(_ text: String) -> String {
        var trimmed = Substring(text)
        while trimmed.first == " " { trimmed.removeFirst() }
        while trimmed.last == " " { trimmed.removeLast() }
        return String(trimmed)
    }
}
