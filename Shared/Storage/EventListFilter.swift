import Foundation

/// What `GET /api/v1/events` lists: the events of one tenant scope, optionally of one type, one
/// resource key and a range of arrival times.
public struct EventListFilter: Sendable, Equatable {
    /// The events' tenant scope: a tenant id, or -1 for tenant-less events.
    public var eventScope: Int64
    /// Exactly this event type.
    public var type: String?
    /// Exactly this resource key.
    public var resourceKey: String?
    /// Received at or after this time.
    public var since: Date?
    /// Received before this time.
    public var until: Date?

    public init(eventScope: Int64, type: String? = nil, resourceKey: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.eventScope = eventScope
        self.type = type
        self.resourceKey = resourceKey
        self.since = since
        self.until = until
    }

    /// Whether `event` is one this filter selects (the in-memory store's reading of it).
    public func selects(_ event: EventRecord) -> Bool {
        (event.tenantId ?? -1) == eventScope && (type.map { $0 == event.type } ?? true)
            && (resourceKey.map { $0 == event.resourceKey } ?? true) && (since.map { event.receivedAt >= $0 } ?? true)
            && (until.map { event.receivedAt < $0 } ?? true)
    }
}
