import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Once an hour, the first time a minute after start: makes the daily attempt partitions of the
/// days ahead (`AttemptPartitions`), and, unless history is kept forever (`period` nil,
/// `DELIVERY_RETENTION_DAYS=0`), deletes delivery history older than `period`. With several
/// replicas, one at a time does the deleting (see `RetentionStore`).
struct RetentionJob: Service {
    let store: RetentionStore
    let partitions: @Sendable () async throws(StorageError) -> Int
    let period: Duration?
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
            do {
                let made = try await partitions()
                if made > 0 { logger.info("made delivery attempt partitions", metadata: ["partitions": "\(made)"]) }
            } catch {
                logger.warning("making attempt partitions failed; trying again at the next pass", metadata: ["error": "\(error)"])
            }
            guard let period else { continue }
            let cutoff = Date().addingTimeInterval(-Double(period.components.seconds))
            do {
                let purged = try await cancelWhenGracefulShutdown { try await store.purge(before: cutoff) }
                if purged != RetentionStore.Purged() {
                    logger.info(
                        "deleted delivery history past retention",
                        metadata: [
                            "before": "\(cutoff)", "attempts": "\(purged.attempts)", "attempt_partitions": "\(purged.attemptPartitions)",
                            "tasks": "\(purged.tasks)", "events": "\(purged.events)",
                        ])
                }
            } catch {
                logger.warning("retention pass failed; trying again at the next one", metadata: ["error": "\(error)"])
            }
        }
    }
}
