import Foundation
import Hummingbird
import ServiceKit

/// The query of `GET /api/v1/events`: `type`, `resource_key` (both exact), and `since` / `until`
/// (RFC 3339 times of arrival; `since` included, `until` not).
struct EventListQuery: Sendable, Equatable {
    var type: String?
    var resourceKey: String?
    var since: Date?
    var until: Date?

    init(type: String? = nil, resourceKey: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.type = type
        self.resourceKey = resourceKey
        self.since = since
        self.until = until
    }

    /// Reads the query of `request`.
    /// - Throws: 400 `E_INVALID_QUERY` for a time that is not RFC 3339, or a range that ends before
    ///   it starts.
    init(_ request: Request) throws {
        self.init(
            type: RequestParsing.string(request, "type"), resourceKey: RequestParsing.string(request, "resource_key"),
            since: try RequestParsing.date(request, "since"), until: try RequestParsing.date(request, "until"))
        if let since, let until, until < since {
            throw APIError.badRequest("E_INVALID_QUERY", "'until' must not be before 'since'")
        }
    }
}
