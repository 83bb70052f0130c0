import Foundation
import Logging
import Storage
import WebhookCore

/// The database's share of a delivery with no service in between: the fan-out stage's own two
/// batch statements — the look-up of the events (`lookUpEvents`, read only), then the events with
/// their tasks in their state after the first attempt and those attempts (`writeFanout`, one
/// commit) — run from this process in batches, on connections set up as delivery's,
/// for one webhook and `events` signed 1 KiB events. PostgreSQL's CPU per delivery here is what the
/// data model costs whatever ingest and delivery do; together with RabbitMQ's CPU per message
/// (`broker`) and the receiver's per POST (`http`) it bounds the end-to-end rate (see `Ratios`).
enum StorageFloorBenchmark {
    static func run(
        platform: PlatformClient, databaseURL: String, receiver: BenchReceiver, events: Int, batch: Int, size: Int,
        watch: ProcessWatch?
    ) async throws -> ScenarioResult {
        var logger = Logger(label: "bench-storage")
        logger.logLevel = .warning
        // As delivery's: a pool for reads and prepared batch statements on connections of their own.
        let database = try Database(url: databaseURL, logger: logger, maximumConnections: 2, batchConnections: 2)
        let runs = database.clients.map { client in Task { await client.run() } }
        defer { runs.forEach { $0.cancel() } }

        let tenant = EventFactory.newTenant(), type = "bench.storage"
        let id = try await platform.createWebhook(url: receiver.url(0), events: [type], tenant: tenant)
        guard let webhook = try await database.webhooks.get(id: id, tenantId: nil) else {
            throw BenchError.failed("the storage scenario's webhook \(id) was not found")
        }
        let store = database.deliveries
        let run = UUID().uuidString.prefix(8)
        let padding = String(decoding: [UInt8](repeating: UInt8(ascii: "p"), count: max(0, size - 200)), as: UTF8.self)

        watch?.resetPeaks()
        let cpuBefore = watch?.read()
        let started = ContinuousClock.now
        var recorded = 0
        for first in stride(from: 0, to: events, by: batch) {
            // Events as the fan-out stage decodes them off the queue.
            var inHand: [Event] = []
            for n in first..<min(first + batch, events) {
                let body = CanonicalJSON.encode(
                    .object([
                        ("id", .string("storage-\(run)-\(n)")), ("type", .string(type)), ("tenant_id", .int(tenant)),
                        ("data", .object([("n", .int(n)), ("padding", .string(padding))])),
                    ]))
                inHand.append(try EventMessage.decode(body))
            }
            // Which are stored already (none are): the read before the attempts.
            let stored = try await store.lookUpEvents(inHand.map { EventLookup(key: $0.key, redelivered: false) })
            // Each event's first attempt, signed as delivery signs it, answered 200 by the receiver.
            var records: [FanoutRecord] = []
            for (event, found) in zip(inHand, stored) where found == .absent {
                let now = Date()
                let signed = WebhookRequest.make(
                    webhook: webhook, event: event, messageID: event.key.messageID,
                    timestamp: Int64(now.timeIntervalSince1970))
                var headers: [String: String] = [:]
                for header in signed.headers { headers[header.name] = header.value }
                let attempt = DeliveryAttempt(
                    taskId: 0, webhookId: webhook.id, eventId: event.id, eventType: event.type, attemptNumber: 1,
                    requestURL: webhook.url, requestHeaders: headers, requestBody: String(decoding: signed.body, as: UTF8.self),
                    responseStatus: 200, responseHeaders: ["content-length": "0"], responseBody: "", durationMs: 1, error: nil,
                    success: true, createdAt: now)
                records.append(
                    FanoutRecord(
                        event: event,
                        tasks: [
                            FirstAttempt(webhookId: webhook.id, record: AttemptRecord(attempt: attempt, status: .success, nextTryAt: nil))
                        ]))
            }
            let written = try await store.writeFanout(records).reduce(0) { $0 + $1.count }
            guard written == inHand.count else {
                throw BenchError.failed("\(written) tasks written for \(inHand.count) events (the webhook should match each once)")
            }
            recorded += written
        }
        let seconds = (ContinuousClock.now - started).seconds
        let rate = Double(recorded) / seconds
        var figures: [String: Double] = ["seconds": seconds, "batch": Double(batch)]
        if let watch, let cpuBefore { figures.merge(watch.figures(since: cpuBefore, rate: rate)) { a, _ in a } }
        return ScenarioResult(
            scenario: "storage: delivery's batch statements alone, \(recorded) events of \(size) B in batches of \(batch) (no service in between)",
            rate: rate, rateUnit: "deliveries/s", figures: figures,
            notes: [
                "per delivery: the event looked up, then the event, its task in its state after the first attempt and that attempt (the signed request's headers; the body is the event's) in one statement and commit",
                "cpu postgres (µs per unit): what the data model costs the database per delivery, whatever ingest and delivery do",
            ])
    }
}
