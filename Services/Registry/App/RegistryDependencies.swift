import Logging
import Messaging
import Outbound
import ServiceKit
import Storage

/// Everything the registry's routes work with, apart from how it is connected: the stores, the
/// broker, the outbound client of test sends and the token keys. `buildRegistry` passes the
/// PostgreSQL stores and the AMQP connection; tests pass in-memory ones to `buildRouter`.
public struct RegistryDependencies: Sendable {
    public var webhooks: any WebhookRepository
    public var tasks: any TaskRepository
    public var attempts: any AttemptLogRepository
    public var users: any UserRepository
    /// Portal links (`/api/v1/portal-sessions`) and the check of their tokens.
    public var portalSessions: any PortalSessionRepository
    /// The event-type catalogue (`/api/v1/event-types`).
    public var eventTypes: any EventTypeRepository
    /// Replay and recovery jobs (`/api/v1/jobs`).
    public var jobs: any JobRepository
    /// Control notices (`webhooks.control`) and manual retries (`webhooks.tasks`) are published here.
    public var broker: any MessagePublisher
    /// Sends the synchronous test requests, with the SSRF policy of delivery.
    public var outbound: OutboundClient
    /// Connection timeout of a test request.
    public var connectTimeout: Duration
    /// Whole-request timeout of a test request.
    public var requestTimeout: Duration
    /// Verifies the bearer tokens and issues new ones.
    public var tokens: TokenService
    /// `/readyz`: `nil` when the registry can serve, otherwise the name of what is missing.
    public var readiness: @Sendable () async -> String?
    public var logger: Logger

    /// - Parameters:
    ///   - webhooks: webhook storage.
    ///   - tasks: delivery tasks, for listings and manual retries.
    ///   - attempts: recorded attempts (the dialects' logs).
    ///   - users: accounts that can log in.
    ///   - portalSessions: portal links.
    ///   - eventTypes: the event-type catalogue.
    ///   - jobs: replay and recovery jobs.
    ///   - broker: where control notices and retried tasks are published.
    ///   - outbound: the client test sends go through.
    ///   - connectTimeout: connection timeout of a test send.
    ///   - requestTimeout: whole-request timeout of a test send.
    ///   - tokens: the token keys.
    ///   - readiness: what `/readyz` reports (`nil`: ready).
    ///   - logger: the service's logger.
    public init(
        webhooks: any WebhookRepository, tasks: any TaskRepository, attempts: any AttemptLogRepository, users: any UserRepository,
        portalSessions: any PortalSessionRepository, eventTypes: any EventTypeRepository,
        jobs: any JobRepository, broker: any MessagePublisher, outbound: OutboundClient,
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(30), tokens: TokenService,
        readiness: @escaping @Sendable () async -> String? = { nil }, logger: Logger
    ) {
        self.webhooks = webhooks
        self.tasks = tasks
        self.attempts = attempts
        self.users = users
        self.portalSessions = portalSessions
        self.eventTypes = eventTypes
        self.jobs = jobs
        self.broker = broker
        self.outbound = outbound
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.tokens = tokens
        self.readiness = readiness
        self.logger = logger
    }
}
