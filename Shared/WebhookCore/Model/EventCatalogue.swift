/// One documented event type.
public struct EventTypeInfo: Sendable, Equatable {
    /// The type as events carry it, e.g. `job.failed` or `NODE_CREATED`.
    public var type: String
    /// What it means.
    public var description: String
    /// Group it belongs to (`environment`, `job`, `node`, ...).
    public var category: String

    public init(type: String, description: String, category: String) {
        self.type = type
        self.description = description
        self.category = category
    }
}

/// The event types the platform documents: every type the upstream systems and the API dialects name. Subscriptions are not
/// limited to these (any well-formed type, `prefix.*` or `*` is accepted). They seed the stored
/// catalogue (table `event_types`, migration 28), which operators then edit through
/// `/api/v1/event-types` and which strict ingest checks events against.
public enum EventCatalogue {
    /// The event type of the registry's synchronous test request.
    public static let testEventType = "WEBHOOK_TEST"

    public static let all: [EventTypeInfo] = [
        .init(type: "environment.created", description: "environment created", category: "environment"),
        .init(type: "environment.started", description: "environment started", category: "environment"),
        .init(type: "environment.stopped", description: "environment stopped", category: "environment"),
        .init(type: "environment.deleted", description: "environment deleted", category: "environment"),
        .init(type: "training.started", description: "training job started", category: "training"),
        .init(type: "training.completed", description: "training job completed", category: "training"),
        .init(type: "training.failed", description: "training job failed", category: "training"),
        .init(type: "job.completed", description: "job completed", category: "job"),
        .init(type: "job.failed", description: "job failed", category: "job"),
        .init(type: "alert.triggered", description: "monitoring alert triggered", category: "alert"),
        .init(type: "alert.resolved", description: "monitoring alert resolved", category: "alert"),
        .init(type: "quota.exceeded", description: "resource quota exceeded", category: "quota"),
        .init(type: "service.started", description: "service started", category: "service"),
        .init(type: "service.stopped", description: "service stopped", category: "service"),
        .init(type: "service.created", description: "service created", category: "service"),
        .init(type: "service.deleted", description: "service deleted", category: "service"),
        .init(type: "user.created", description: "user created", category: "user"),
        .init(type: "user.deleted", description: "user deleted", category: "user"),
        .init(type: "user.disabled", description: "user disabled", category: "user"),
        .init(type: "user.enabled", description: "user enabled", category: "user"),
        .init(type: "user.quota_exceeded", description: "user traffic quota exceeded", category: "user"),
        .init(type: "user.expired", description: "user expired", category: "user"),
        .init(type: "domain.created", description: "domain added", category: "domain"),
        .init(type: "domain.cert_issued", description: "certificate issued", category: "domain"),
        .init(type: "domain.cert_renewed", description: "certificate renewed", category: "domain"),
        .init(type: "domain.cert_expiring", description: "certificate expiring soon", category: "domain"),
        .init(type: "domain.deleted", description: "domain deleted", category: "domain"),
        .init(type: "backup.created", description: "backup created", category: "backup"),
        .init(type: "backup.restored", description: "backup restored", category: "backup"),
        .init(type: "backup.deleted", description: "backup deleted", category: "backup"),
        .init(type: "system.health_warning", description: "system health warning", category: "system"),
        .init(type: "system.resource_alert", description: "system resource alert", category: "system"),
        .init(type: "system.error", description: "system error", category: "system"),
        .init(type: "NODE_CREATED", description: "artifact node created", category: "node"),
        .init(type: "NODE_UPLOADED", description: "artifact node uploaded", category: "node"),
        .init(type: testEventType, description: "test request sent by the registry", category: "webhook"),
        .init(type: OperationalEvents.webhookDisabled, description: "an endpoint was disabled by delivery (410 Gone or failing too long)", category: "webhook"),
        .init(type: OperationalEvents.webhookEnabled, description: "an endpoint was enabled again", category: "webhook"),
        .init(type: OperationalEvents.taskExhausted, description: "a delivery task failed for good (no attempt left)", category: "webhook"),
    ]
}
