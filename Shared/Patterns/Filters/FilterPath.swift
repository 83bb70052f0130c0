import WebhookCore

/// A field of the event a filter path starts with, named as in the event's message body.
enum EnvelopeField: String, Sendable, CaseIterable {
    case id
    case type
    case occurredAt = "occurred_at"
    case tenantId = "tenant_id"
    case associationType = "association_type"
    case associationId = "association_id"
    case resourceKey = "resource_key"
    case data

    /// The field's value in `event` as it appears in the message body, or `nil` when the body
    /// leaves it out (an optional field the event does not have).
    func value(in event: Event) -> JSONValue? {
        switch self {
        case .id: .string(event.id)
        case .type: .string(event.type)
        case .occurredAt: .string(Timestamp.format(event.occurredAt))
        case .tenantId: event.tenantId.map { JSONValue.int($0) }
        case .associationType: event.associationType.map { JSONValue.string($0.rawValue) }
        case .associationId: event.associationId.map { JSONValue.string($0) }
        case .resourceKey: event.resourceKey.map { JSONValue.string($0) }
        case .data: event.data
        }
    }
}

/// One segment of a dotted path after the envelope field: a member name, which is also an array
/// index when it is a non-negative decimal number without leading zeros.
struct FilterSegment: Sendable, Equatable {
    /// The member name.
    let key: String
    /// The array index this segment also names, if any.
    let index: Int?

    init(_ key: String) {
        self.key = key
        self.index = Self.arrayIndex(key)
    }

    private static func arrayIndex(_ key: String) -> Int? {
        let utf8 = key.utf8
        guard !utf8.isEmpty, utf8.count <= 9, utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        guard utf8.count == 1 || utf8.first != UInt8(ascii: "0") else { return nil }
        return Int(key)
    }
}

/// A compiled dotted path: the envelope field it starts at and the segments below it.
struct FilterPath: Sendable, Equatable {
    /// The event field the path starts at.
    let field: EnvelopeField
    /// The segments below that field (empty when the path names the field itself).
    let segments: [FilterSegment]

    /// Splits `text` at dots. Throws `.invalidPath` for an empty segment or an unknown first
    /// segment.
    static func parse(_ text: String, at location: FilterLocation) throws(PayloadFilterError) -> FilterPath {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.contains(where: \.isEmpty) {
            throw PayloadFilterError(kind: .invalidPath, message: "the path '\(text)' has an empty segment", path: location.rendered)
        }
        guard let field = EnvelopeField(rawValue: parts[0]) else {
            let names = EnvelopeField.allCases.map(\.rawValue).joined(separator: ", ")
            throw PayloadFilterError(
                kind: .invalidPath,
                message: "the path '\(text)' does not start with a field of the event (\(names)); the event's payload is under 'data', e.g. 'data.\(text)'",
                path: location.rendered
            )
        }
        return FilterPath(field: field, segments: parts.dropFirst().map(FilterSegment.init))
    }

    /// Whether `body` holds for some value the path reaches in `event`.
    ///
    /// A segment selects the member of that name in an object, or the element at its index in an
    /// array; a segment that is not an index, meeting an array, is applied to each element that is
    /// an object (array element matching, one level). The path reaches nothing when a member or
    /// element is missing or a scalar is in the way.
    @inline(__always)
    func anyValue(in event: Event, _ body: (JSONValue) -> Bool) -> Bool {
        guard let root = field.value(in: event) else { return false }
        return Self.anyValue(root, segments[...], body)
    }

    private static func anyValue(_ value: JSONValue, _ rest: ArraySlice<FilterSegment>, _ body: (JSONValue) -> Bool) -> Bool {
        guard let segment = rest.first else { return body(value) }
        switch value {
        case .object(let members):
            guard let member = members.last(where: { sameText($0.key, segment.key) }) else { return false }
            return anyValue(member.value, rest.dropFirst(), body)
        case .array(let elements):
            if let index = segment.index {
                return index < elements.count && anyValue(elements[index], rest.dropFirst(), body)
            }
            for element in elements {
                if case .object = element, anyValue(element, rest, body) { return true }
            }
            return false
        default:
            return false
        }
    }
}

/// Whether two strings have the same Unicode scalars (no normalisation, unlike `String ==`).
@inline(__always)
func sameText(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    // Native strings hand out their UTF-8 bytes directly: compare the buffers, not two views.
    let compared = a.utf8.withContiguousStorageIfAvailable { x in
        b.utf8.withContiguousStorageIfAvailable { y in x.elementsEqual(y) }
    }
    if let compared = compared ?? nil { return compared }
    return a.utf8.elementsEqual(b.utf8)
}
