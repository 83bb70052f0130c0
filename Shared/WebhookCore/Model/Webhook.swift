import Foundation

/// Whether a webhook receives events.
public enum WebhookStatus: String, Sendable, Codable, CaseIterable {
    case active
    /// Turned off by a user.
    case disabled
    /// Turned off by the platform (410 Gone, or failing for too long); see `disabledReason`.
    case autoDisabled = "auto-disabled"
}

/// A tenant's endpoint subscription.
public struct Webhook: Sendable, Equatable {
    public var id: Int64
    public var tenantId: Int64
    public var name: String
    public var description: String
    public var url: String
    /// Signing secret; shown only to admins, never listed or logged.
    public var secret: String
    /// Extra request headers sent with every delivery.
    public var headers: [String: String]
    /// Event-type filters: exact names, `prefix.*`, or `*`.
    public var events: [String]
    /// Regular expression the event's `resource_key` must fully match; `nil` matches every key.
    public var resourceKeyPattern: String?
    /// Payload filter document (the `Patterns` module's `PayloadFilter` language) the event must
    /// meet; `nil` delivers every event the other fields select.
    public var filter: JSONValue?
    public var associationType: AssociationType
    public var associationId: String?
    public var status: WebhookStatus
    public var disabledReason: String?
    public var retryEnabled: Bool
    /// Attempts per task including the first.
    public var maxAttempts: Int
    /// Header carrying the hex HMAC-SHA256 of the body.
    public var signatureHeader: String
    /// Header carrying the event type.
    public var eventHeader: String
    public var createdBy: String
    public var updatedBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var lastError: String?
    /// The secret replaced by the last rotation; still signs deliveries until `previousSecretExpiresAt`.
    public var previousSecret: String?
    /// End of the rotation's grace period.
    public var previousSecretExpiresAt: Date?
    /// Requests per second to this endpoint; `nil` uses delivery's `DELIVERY_ENDPOINT_RATE`.
    public var rateLimit: Int?
    /// Requests in flight to this endpoint; `nil` uses delivery's `DELIVERY_ENDPOINT_CONCURRENCY`.
    public var maxInFlight: Int?
    /// Seconds between attempts (the last entry repeats); `nil` uses delivery's `DELIVERY_RETRY_SCHEDULE`.
    public var retrySchedule: [Int]?

    public init(
        id: Int64 = 0, tenantId: Int64, name: String = "", description: String = "", url: String, secret: String,
        headers: [String: String] = [:], events: [String], resourceKeyPattern: String? = nil,
        filter: JSONValue? = nil, associationType: AssociationType = .system, associationId: String? = nil, status: WebhookStatus = .active,
        disabledReason: String? = nil, retryEnabled: Bool = true, maxAttempts: Int = Webhook.defaultMaxAttempts,
        signatureHeader: String = Webhook.defaultSignatureHeader, eventHeader: String = Webhook.defaultEventHeader,
        createdBy: String = "", updatedBy: String = "", createdAt: Date = Date(), updatedAt: Date = Date(),
        lastError: String? = nil, previousSecret: String? = nil, previousSecretExpiresAt: Date? = nil,
        rateLimit: Int? = nil, maxInFlight: Int? = nil, retrySchedule: [Int]? = nil
    ) {
        self.id = id
        self.tenantId = tenantId
        self.name = name
        self.description = description
        self.url = url
        self.secret = secret
        self.headers = headers
        self.events = events
        self.resourceKeyPattern = resourceKeyPattern
        self.filter = filter
        self.associationType = associationType
        self.associationId = associationId
        self.status = status
        self.disabledReason = disabledReason
        self.retryEnabled = retryEnabled
        self.maxAttempts = maxAttempts
        self.signatureHeader = signatureHeader
        self.eventHeader = eventHeader
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastError = lastError
        self.previousSecret = previousSecret
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.rateLimit = rateLimit
        self.maxInFlight = maxInFlight
        self.retrySchedule = retrySchedule
    }

    /// Secrets besides `secret` that still sign deliveries at `now` (the rotated-out one during its
    /// grace period); pass them as `WebhookRequest.make(extraSecrets:)`.
    public func extraSigningSecrets(at now: Date = Date()) -> [String] {
        guard let previousSecret, let expires = previousSecretExpiresAt, expires > now, previousSecret != secret else { return [] }
        return [previousSecret]
    }

    /// Attempts per task when a webhook does not say (about a day of retries).
    public static let defaultMaxAttempts = 8
    /// Default name of the hex signature header.
    public static let defaultSignatureHeader = "X-Webhook-Signature"
    /// Bounds of the per-webhook delivery overrides (checked by the registry).
    public static let rateLimitRange = 1...100_000
    public static let maxInFlightRange = 1...1000
    public static let retryScheduleLength = 1...20
    public static let retryDelayRange = 1...86_400

    /// Default name of the event-type header.
    public static let defaultEventHeader = "X-Webhook-Event"
}
