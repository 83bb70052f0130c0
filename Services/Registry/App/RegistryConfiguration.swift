import ServiceKit

/// The registry's settings, from the environment.
public struct RegistryConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var databaseURL: String
    /// Control notices and manual retries are published here.
    public var amqpURL: String
    public var jwtSecret: String
    public var adminUsername: String
    public var adminPassword: String
    /// The test endpoint may reach private, loopback and link-local addresses (as delivery).
    public var allowPrivateNetworks: Bool
    /// CIDR ranges the test endpoint may reach even with the guard on (as delivery).
    public var allowedNetworks: [String]
    public var connectTimeoutSeconds: Int
    public var requestTimeoutSeconds: Int
    /// Most events (or failed tasks) one batch of a replay or recovery job looks at.
    public var jobBatchSize: Int
    /// Most tasks of one job waiting for an attempt before the job schedules more.
    public var jobWindow: Int
    /// Whether this registry runs replay and recovery jobs (every registry does by default; any of
    /// them may pick up any job).
    public var runsJobs: Bool

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databaseURL: String, amqpURL: String, jwtSecret: String,
        adminUsername: String, adminPassword: String, allowPrivateNetworks: Bool = false, allowedNetworks: [String] = [],
        connectTimeoutSeconds: Int = 10, requestTimeoutSeconds: Int = 30, jobBatchSize: Int = 500, jobWindow: Int = 2_000,
        runsJobs: Bool = true
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.amqpURL = amqpURL
        self.jwtSecret = jwtSecret
        self.adminUsername = adminUsername
        self.adminPassword = adminPassword
        self.allowPrivateNetworks = allowPrivateNetworks
        self.allowedNetworks = allowedNetworks
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.jobBatchSize = jobBatchSize
        self.jobWindow = jobWindow
        self.runsJobs = runsJobs
    }

    /// Reads `DATABASE_URL`, `AMQP_URL`, `JWT_SECRET`, `ADMIN_USERNAME`, `ADMIN_PASSWORD`, `REGISTRY_PORT`
    /// (8080), `BIND_ADDRESS` (0.0.0.0), and delivery's outbound settings for the test endpoint:
    /// `DELIVERY_ALLOW_PRIVATE_NETWORKS`, `DELIVERY_ALLOWED_NETWORKS`, `DELIVERY_CONNECT_TIMEOUT`,
    /// `DELIVERY_REQUEST_TIMEOUT`; and the pace of replay and recovery jobs: `REGISTRY_JOB_BATCH` (500)
    /// and `REGISTRY_JOB_WINDOW` (2000), and whether this replica runs them, `REGISTRY_RUN_JOBS` (true).
    public init(environment: Environment) throws {
        // Read in this order so that the first missing setting is the one named.
        let databaseURL = try environment.required("DATABASE_URL")
        let jwtSecret = try environment.jwtSecret()
        let amqpURL = try environment.required("AMQP_URL")
        let outbound = try environment.outboundSettings()
        self.init(
            host: environment.string("BIND_ADDRESS", default: "0.0.0.0"),
            port: try environment.int("REGISTRY_PORT", default: 8080, in: 0...65535),
            databaseURL: databaseURL,
            amqpURL: amqpURL,
            jwtSecret: jwtSecret,
            adminUsername: try environment.required("ADMIN_USERNAME"),
            adminPassword: try environment.required("ADMIN_PASSWORD"),
            allowPrivateNetworks: outbound.allowPrivateNetworks,
            allowedNetworks: outbound.allowedNetworks,
            connectTimeoutSeconds: outbound.connectTimeoutSeconds,
            requestTimeoutSeconds: outbound.requestTimeoutSeconds,
            jobBatchSize: try environment.int("REGISTRY_JOB_BATCH", default: 500, in: 1...10_000),
            jobWindow: try environment.int("REGISTRY_JOB_WINDOW", default: 2_000, in: 1...100_000),
            runsJobs: try environment.bool("REGISTRY_RUN_JOBS", default: true))
    }
}
