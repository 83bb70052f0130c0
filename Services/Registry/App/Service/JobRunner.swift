import Foundation
import Logging
import Messaging
import Patterns
import ServiceLifecycle
import Storage
import WebhookCore

/// Runs the replay and recovery jobs: one batch at a time (`JobStore.runBatch`), the active jobs
/// taking turns, then hands the tasks each batch scheduled to delivery. Any number of registries
/// may run it: a batch holds its job's row lock, and a job left by a stopped registry goes on from
/// its committed cursor. A task whose message is lost (broker away) is due now in the database;
/// delivery's sweeper sends it.
struct JobRunner: Service {
    let jobs: JobStore
    let webhooks: any WebhookRepository
    let queue: TaskQueue
    /// Opens once the migrations ran.
    let ready: ReadyGate
    let logger: Logger
    /// Most events (or failed tasks) one batch looks at (`REGISTRY_JOB_BATCH`).
    let batchSize: Int
    /// Most tasks of one job waiting for an attempt before it schedules more (`REGISTRY_JOB_WINDOW`).
    let window: Int
    /// Pause when no job has work it may do now.
    static let idlePause: Duration = .seconds(1)

    func run() async throws {
        while !(await ready.isOpen) {
            guard !Task.isShuttingDownGracefully else { return }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(100)) }
        }
        while !Task.isShuttingDownGracefully {
            var pause: Duration? = Self.idlePause
            do {
                let outcome = try await jobs.runBatch(batchSize: batchSize, window: window) { job in
                    try await selection(for: job)
                }
                pause = try await handle(outcome)
            } catch {
                logger.warning("job batch failed; trying again", metadata: ["error": "\(error)"])
            }
            if let pause { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } }
        }
    }

    /// Publishes a batch's tasks and logs the job's end; the pause before the next batch, if any.
    func handle(_ outcome: JobBatchOutcome) async throws -> Duration? {
        switch outcome {
        case .idle:
            return Self.idlePause
        case .stopped(let id, let reason):
            logger.warning("job stopped", metadata: ["job_id": "\(id)", "reason": "\(reason)"])
            return nil
        case .progressed(let id, let tasks, let finished, let marker):
            if await publish(tasks, job: id), let marker { try await jobs.markPublished(jobID: id, marker: marker) }
            if finished { logger.info("job completed", metadata: ["job_id": "\(id)"]) }
            return nil
        }
    }

    /// Hands the tasks to delivery; whether every one was published. One that was not is published
    /// again when the job is taken over, or by delivery's sweeper.
    func publish(_ tasks: [TaskMessage], job: Int64) async -> Bool {
        let failed = await withTaskGroup(of: Int.self) { group in
            for task in tasks {
                group.addTask {
                    do throws(AMQPError) {
                        try await queue.enqueue(task)
                        return 0
                    } catch {
                        return 1
                    }
                }
            }
            return await group.reduce(0, +)
        }
        if failed > 0 {
            logger.warning(
                "could not hand job tasks to delivery; they are published again shortly", metadata: ["job_id": "\(job)", "tasks": "\(failed)"])
        }
        return failed == 0
    }

    /// Which events a replay's webhook gets, from the webhook as it is now.
    func selection(for job: DeliveryJob) async throws -> ReplaySelection {
        guard let id = job.request.webhookId, let webhook = try await webhooks.get(id: id, tenantId: nil) else {
            throw JobStop(reason: "its webhook was deleted")
        }
        guard webhook.status == .active else { throw JobStop(reason: "its webhook is \(webhook.status.rawValue)") }
        let pattern: ResourcePattern?
        let filter: PayloadFilter?
        do {
            pattern = try webhook.resourceKeyPattern.flatMap { $0.isEmpty ? nil : try ResourcePattern($0) }
            filter = try webhook.filter.map { document throws(PayloadFilterError) in try PayloadFilter.compile(document) }
        } catch {
            throw JobStop(reason: "its webhook's resource_key_pattern or filter no longer compiles")
        }
        let types = job.request.eventTypes
        return ReplaySelection { event in
            if let types, !EventTypeFilter.matchesAny(types, type: event.type) { return false }
            guard SubscriptionMatcher.matches(webhook, event, patternMatches: { _, key in pattern?.fullMatch(key) ?? false }) else {
                return false
            }
            return filter?.matches(event) ?? true
        }
    }
}

/// Opens once, when the registry's migrations ran; the job runner waits for it.
actor ReadyGate {
    private(set) var isOpen = false

    func open() { isOpen = true }
}
