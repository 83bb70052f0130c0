import Logging
import ServiceLifecycle
import Storage
import WebhookCore

/// Re-enqueues tasks whose retry is overdue (their message was lost between the database commit and
/// the broker confirm, e.g. in a crash) and tasks stuck in `pending`. Safe with many replicas: each
/// task is claimed by one (`FOR UPDATE SKIP LOCKED`) and gets a new schedule version.
struct Sweeper: Service {
    let database: Database
    let scheduler: RetryScheduler
    let interval: Duration
    let logger: Logger

    /// How late a retry must be before the sweeper takes it.
    static let grace: Duration = .seconds(60)
    /// How long a task may stay `pending` before it counts as stuck.
    static let stuckAfter: Duration = .seconds(600)

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await sweep()
            } catch {
                logger.warning("sweep failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    func sweep() async throws {
        let claimed = try await database.deliveries.claimOverdue(grace: Self.grace, stuckAfter: Self.stuckAfter, limit: 500)
        for message in claimed { try await scheduler.schedule(message, after: nil) }
        if !claimed.isEmpty { logger.info("re-enqueued overdue tasks", metadata: ["count": "\(claimed.count)"]) }
    }
}
