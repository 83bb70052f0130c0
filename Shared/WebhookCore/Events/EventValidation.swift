import Foundation

/// Why an event was rejected. `code` is stable and part of the API.
public struct EventValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code, e.g. `E_MISSING_FIELD`.
    public var code: String
    /// A message that says what to fix.
    public var message: String
    /// The field at fault, when there is one.
    public var field: String?

    public init(code: String, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(code): \(message)" }

    static func missing(_ field: String) -> Self {
        .init(code: "E_MISSING_FIELD", message: "field '\(field)' is required", field: field)
    }

    static func wrongType(_ field: String, expected: String, got: JSONValue) -> Self {
        .init(code: "E_WRONG_TYPE", message: "field '\(field)' must be \(expected), not \(got.kindName)", field: field)
    }
}

/// Turns an untrusted JSON object into an `Event`, checking every field.
public enum EventValidation {
    /// Longest event type accepted.
    public static let maximumTypeLength = 128
    /// Longest event id accepted.
    public static let maximumIDLength = 128

    /// Fields an event may carry; anything else is rejected so that typos do not go unnoticed.
    static let knownFields: Set<String> = [
        "id", "type", "occurred_at", "tenant_id", "association_type", "association_id", "resource_key", "data",
    ]

    /// Whether `type` is a valid event type: letters, digits, `_`, `-`, `:`, separated by single dots.
    public static func isValidType(_ type: String) -> Bool {
        guard !type.isEmpty, type.utf8.count <= maximumTypeLength else { return false }
        return type.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty
                && part.utf8.allSatisfy { c in
                    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                        || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ":")
                }
        }
    }

    /// Validates `json` as an event. NUL (U+0000) is refused with `E_INVALID_CHARACTER` in every
    /// string member but `data`, which may hold it (see `StorableText`).
    /// - Parameters:
    ///   - json: the parsed object.
    ///   - defaultID: the id to use when the object has none.
    ///   - now: the time to use when `occurred_at` is absent.
    public static func event(from json: JSONValue, defaultID: @autoclosure () -> String, now: Date = Date())
        throws(EventValidationError) -> Event
    {
        guard let members = json.objectMembers else {
            throw .init(code: "E_INVALID_EVENT", message: "an event must be a JSON object, not \(json.kindName)")
        }
        for member in members {
            // `StorableText`: these strings go to text columns as they are; `data` is stored as JSON
            // text, where NUL is the escape \u0000, and may hold it.
            guard StorableText.isStorable(member.key) else {
                throw .init(code: StorableText.invalidCharacterCode, message: "a field name must not contain the NUL character (U+0000)")
            }
            guard knownFields.contains(member.key) else {
                throw .init(code: "E_UNKNOWN_FIELD", message: "unknown field '\(member.key)'", field: member.key)
            }
            if member.key != "data", case .string(let text) = member.value, !StorableText.isStorable(text) {
                throw .init(
                    code: StorableText.invalidCharacterCode,
                    message: "'\(member.key)' must not contain the NUL character (U+0000)", field: member.key)
            }
        }
        let id: String
        switch json["id"] {
        case nil, .null?: id = defaultID()
        case .string(let s)?:
            guard !s.isEmpty, s.utf8.count <= maximumIDLength, !containsWhitespace(s) else {
                throw .init(code: "E_INVALID_ID", message: "'id' must be 1 to \(maximumIDLength) characters without spaces", field: "id")
            }
            id = s
        case .integer(let literal)?: id = literal
        case let other?: throw .wrongType("id", expected: "a string", got: other)
        }

        guard let typeValue = json["type"] else { throw .missing("type") }
        guard case .string(let type) = typeValue else { throw .wrongType("type", expected: "a string", got: typeValue) }
        guard isValidType(type) else {
            throw .init(
                code: "E_INVALID_EVENT_TYPE",
                message: "'type' must be dot-separated words of letters, digits, '_', '-' or ':' (at most \(maximumTypeLength) bytes), e.g. 'job.failed'",
                field: "type")
        }

        var occurredAt = now
        switch json["occurred_at"] {
        case nil, .null?: break
        case .string(let s)?:
            guard let date = Timestamp.parse(s) else {
                throw .init(
                    code: "E_INVALID_TIMESTAMP", message: "'occurred_at' must be an RFC 3339 timestamp such as 2026-01-26T10:00:00Z", field: "occurred_at")
            }
            occurredAt = date
        case let other?: throw .wrongType("occurred_at", expected: "an RFC 3339 string", got: other)
        }

        var tenantId: Int64?
        switch json["tenant_id"] {
        case nil, .null?: break
        case .integer(let literal)?:
            guard let t = Int64(literal), t >= 0 else {
                throw .init(code: "E_INVALID_TENANT", message: "'tenant_id' must be a non-negative 64-bit integer", field: "tenant_id")
            }
            tenantId = t
        case let other?: throw .wrongType("tenant_id", expected: "an integer", got: other)
        }

        var associationType: AssociationType?
        switch json["association_type"] {
        case nil, .null?: break
        case .string(let s)?:
            guard let t = AssociationType(rawValue: s.uppercased()) else {
                throw .init(code: "E_INVALID_ASSOCIATION", message: "'association_type' must be SYSTEM, PROJECT or REPO", field: "association_type")
            }
            associationType = t
        case let other?: throw .wrongType("association_type", expected: "a string", got: other)
        }

        let associationId = try optionalString(json, "association_id")
        try checkScope(associationType, associationId)
        let resourceKey = try optionalString(json, "resource_key")

        let data = json["data"] ?? .object([])
        guard case .object = data else { throw .wrongType("data", expected: "a JSON object", got: data) }

        return Event(
            id: id, type: type, occurredAt: occurredAt, tenantId: tenantId, associationType: associationType,
            associationId: associationId, resourceKey: resourceKey, data: data)
    }

    /// `s.contains(where: \.isWhitespace)`, answered from the UTF-8 bytes when they are all ASCII
    /// (the Unicode property lookup per character was 1 % of delivery's CPU).
    static func containsWhitespace(_ s: String) -> Bool {
        for byte in s.utf8 {
            if byte >= 0x80 { return s.contains(where: \.isWhitespace) }
            if byte == 0x20 || (0x09...0x0D).contains(byte) { return true }
        }
        return false
    }

    private static func optionalString(_ json: JSONValue, _ field: String) throws(EventValidationError) -> String? {
        switch json[field] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw .wrongType(field, expected: "a string", got: other)
        }
    }

    /// PROJECT needs a project id; REPO needs `projectId:repoName`; an id needs a type.
    static func checkScope(_ type: AssociationType?, _ id: String?) throws(EventValidationError) {
        switch (type, id) {
        case (nil, nil), (.system?, nil): return
        case (nil, _?):
            throw .init(code: "E_INVALID_ASSOCIATION", message: "'association_id' needs 'association_type'", field: "association_type")
        case (.system?, _?):
            throw .init(code: "E_INVALID_ASSOCIATION", message: "a SYSTEM event has no 'association_id'", field: "association_id")
        case (.project?, let id):
            guard let id, !id.isEmpty, !id.contains(":") else {
                throw .init(code: "E_INVALID_ASSOCIATION", message: "a PROJECT event needs 'association_id' = the project id", field: "association_id")
            }
        case (.repo?, let id):
            let parts = id?.split(separator: ":", omittingEmptySubsequences: false) ?? []
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .init(code: "E_INVALID_ASSOCIATION", message: "a REPO event needs 'association_id' = 'projectId:repoName'", field: "association_id")
            }
        }
    }
}
