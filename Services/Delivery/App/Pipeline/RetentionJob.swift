import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Deletes delivery history older than `period` (`DELIVERY_RETENTION_DAYS`) once an hour, the
/// first time a minute after start. With several replicas, one at a time does the deleting
/// (see `RetentionStore`).
struct RetentionJob: Service {
    let store: RetentionStore
    let period: Duration
    let logger: Logger

    static let firstPassAfter: Duration = .seconds(60)
    static let interval: Duration = .seconds(3600)

    func run() async throws {
        var pause = Self.firstPassAfter
        while !Task.isShuttingDownGracefully {
            let thisPause = pause
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: thisPause) }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            pause = Self.interval
            let cutoff = Date().addingTimeInterval(-Double(period.components.seconds))
            do {
                let purged = try await cancelWhenGracefulShutdown { try await store.purge(before: cutoff) }
                if purged != RetentionStore.Purged() {
                    logger.info("deleted delivery history past retention", metadata: [
                        "before": "\(cutoff)", "attempts": "\(purged.attempts)", "tasks": "\(purged.tasks)", "events": "\(purged.events)",
                    ])
                }
            } catch {
                logger.warning("retention pass failed; trying again at the next one", metadata: ["error": "\(error)"])
            }
        }
    }
}
