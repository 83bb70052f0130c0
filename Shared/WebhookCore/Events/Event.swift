import Foundation

/// What an event is scoped to, besides its tenant (bkrepo's association types).
public enum AssociationType: String, Sendable, Codable, CaseIterable {
    /// The whole system: a SYSTEM webhook receives events of every project and repository.
    case system = "SYSTEM"
    /// One project; the association id is the project id.
    case project = "PROJECT"
    /// One repository; the association id is `projectId:repoName`.
    case repo = "REPO"
}

/// A domain event as it travels through the platform (the AMQP message contract).
public struct Event: Sendable, Equatable {
    /// Unique id; a repeated id is the same event and never fans out twice.
    public var id: String
    /// Event type, e.g. `environment.created` or `NODE_CREATED`; the routing key on the exchange.
    public var type: String
    /// When it happened upstream.
    public var occurredAt: Date
    /// Tenant the event belongs to; `nil` for a platform-wide event.
    public var tenantId: Int64?
    /// Scope kind, when the event belongs to a project or repository.
    public var associationType: AssociationType?
    /// Scope id: a project id, or `projectId:repoName`.
    public var associationId: String?
    /// The resource the event is about, matched against webhooks' `resource_key_pattern`.
    public var resourceKey: String?
    /// The event's own payload: any JSON object.
    public var data: JSONValue

    public init(
        id: String, type: String, occurredAt: Date, tenantId: Int64? = nil,
        associationType: AssociationType? = nil, associationId: String? = nil,
        resourceKey: String? = nil, data: JSONValue = .object([])
    ) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.tenantId = tenantId
        self.associationType = associationType
        self.associationId = associationId
        self.resourceKey = resourceKey
        self.data = data
    }

    /// The message body published to `webhooks.events`: canonical JSON of the contract's fields.
    public var messageBody: [UInt8] {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(id)),
            ("type", .string(type)),
            ("occurred_at", .string(Timestamp.format(occurredAt))),
            ("data", data),
        ]
        if let tenantId { members.append(("tenant_id", .int(tenantId))) }
        if let associationType { members.append(("association_type", .string(associationType.rawValue))) }
        if let associationId { members.append(("association_id", .string(associationId))) }
        if let resourceKey { members.append(("resource_key", .string(resourceKey))) }
        return CanonicalJSON.encode(.object(members))
    }

    /// An id derived from a message body, for events published without one: the same body always
    /// gets the same id, so a redelivered message never fans out twice.
    public static func derivedID(fromBody body: some Sequence<UInt8>) -> String {
        "evt_" + Hashing.sha256Hex(Array(body)).prefix(32)
    }
}

/// RFC 3339 timestamps as the API and the message contract write them.
public enum Timestamp {
    /// `2026-01-26T10:00:00Z`, or with milliseconds when the time has them.
    public static func format(_ date: Date) -> String {
        // Written by hand: Foundation's formatters cost more than the rest of an event's encoding.
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000  // floor
        let fraction = Int(millis - seconds * 1000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func digits(_ value: Int32, _ count: Int) {
            var divisor: Int32 = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = max(0, value)
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(parts.tm_year + 1900, 4)
        out.append(UInt8(ascii: "-"))
        digits(parts.tm_mon + 1, 2)
        out.append(UInt8(ascii: "-"))
        digits(parts.tm_mday, 2)
        out.append(UInt8(ascii: "T"))
        digits(parts.tm_hour, 2)
        out.append(UInt8(ascii: ":"))
        digits(parts.tm_min, 2)
        out.append(UInt8(ascii: ":"))
        digits(parts.tm_sec, 2)
        if fraction != 0 {
            out.append(UInt8(ascii: "."))
            digits(Int32(fraction), 3)
        }
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses an RFC 3339 timestamp with or without fractional seconds and with any UTC offset.
    public static func parse(_ text: String) -> Date? {
        // The common forms by hand (Foundation's parser costs more than the rest of an event's
        // decoding); whatever they do not cover is read by Foundation, as it always was.
        if let d = RFC3339.parse(text) { return d }
        if let d = try? Date(text, strategy: .iso8601) { return d }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? fractional.parse(text)
    }
}
