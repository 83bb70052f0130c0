import WebhookCore

/// A webhook's `filter`: a JSON document of conditions an event must meet to be delivered,
/// compiled once and matched against many events.
///
/// The filter sees the event as its message body: an object with `id`, `type`, `occurred_at`,
/// `tenant_id`, `association_type`, `association_id`, `resource_key` (each optional one absent when
/// the event has none) and `data` (the payload). A filter is an object of `path: condition`
/// members that must all hold, e.g. `{"type": "job.failed", "data.attempts": {"$gte": 3}}`;
/// every path starts with one of those field names. See `compile(_:)` for the language.
public struct PayloadFilter: Sendable, Equatable {
    /// Deepest nesting of arrays and objects in a filter document; the filter object itself is
    /// level 1.
    public static let maximumDepth = 16
    /// Most conditions in one filter: each `path: literal` member, each operator, and each element
    /// of an `$in` or `$nin` list counts one.
    public static let maximumConditions = 256
    /// Largest filter document, in bytes of its canonical JSON (`CanonicalJSON.encode`).
    /// `checkSize(byteCount:)` lets a caller refuse a larger request body before parsing it.
    public static let maximumDocumentBytes = 16_384

    /// The document the filter was compiled from, for storage and for showing it back.
    public let document: JSONValue

    let root: FilterNode

    init(document: JSONValue, root: FilterNode) {
        self.document = document
        self.root = root
    }

    /// Two filters are equal when their documents are (`JSONValue` equality: member order does
    /// not matter).
    public static func == (lhs: PayloadFilter, rhs: PayloadFilter) -> Bool {
        lhs.document == rhs.document
    }

    /// Refuses a filter of more than `maximumDocumentBytes` bytes, e.g. the length of the JSON
    /// text a request carries, before it is parsed.
    /// - Parameter byteCount: the size of the filter's JSON text.
    /// - Throws: `PayloadFilterError` of kind `.tooLarge` at `$`.
    public static func checkSize(byteCount: Int) throws(PayloadFilterError) {
        guard byteCount <= maximumDocumentBytes else {
            throw PayloadFilterError(
                kind: .tooLarge, message: "the filter is \(byteCount) bytes; at most \(maximumDocumentBytes) are allowed", path: "$")
        }
    }
}
