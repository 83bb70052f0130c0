import Foundation
import Logging
import Outbound
import Storage
import WebhookCore

/// Makes one delivery attempt: builds the signed request, POSTs it through the outbound client and
/// turns the outcome into an `AttemptRecord` with the retry decision. No database work here.
struct Dispatcher: Sendable {
    let client: OutboundClient
    let connectTimeout: Duration
    let requestTimeout: Duration
    let retrySchedule: [Duration]
    let metrics: DeliveryMetrics
    let logger: Logger
    /// Signing keys derived once per webhook and secret, shared by every attempt of this process.
    let signingKeys = SigningKeys()

    /// Header names whose values are never stored or shown, since they usually carry credentials.
    static let sensitiveHeaderWords = ["auth", "token", "secret", "key", "cookie", "password"]

    /// Attempts `task` once. `body`: the event's outgoing body when the caller made it already
    /// (`WebhookRequest.body(for:)`, the same for every webhook of the event).
    func attempt(_ task: DeliveryTask, webhook: Webhook, event: Event, body: [UInt8]? = nil) async -> (record: AttemptRecord, duration: Duration) {
        let now = Date()
        let timestamp = Int64(now.timeIntervalSince1970)
        let signed = WebhookRequest.make(
            webhook: webhook, event: event, messageID: task.messageID, timestamp: timestamp,
            extraSecrets: webhook.extraSigningSecrets(at: now), body: body, keys: signingKeys)
        let request = OutboundRequest(
            url: signed.url, headers: signed.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) }, body: signed.body,
            connectTimeout: connectTimeout, totalTimeout: requestTimeout)
        let started = ContinuousClock.now
        var status: Int?
        var responseHeaders: [String: String] = [:]
        var responseBody: String?
        var errorText: String?
        var failure: OutboundError.Code?
        metrics.requestStarted()
        do {
            let response = try await client.send(request)
            status = response.statusCode
            for header in response.headers { responseHeaders[header.name.lowercased()] = header.value }
            responseBody = String(decoding: response.body, as: UTF8.self)
        } catch {
            errorText = error.description
            failure = error.code
        }
        metrics.requestEnded()
        let elapsed = ContinuousClock.now - started
        let success = status.map { (200..<300).contains($0) } ?? false
        metrics.attempt(outcome: success ? "success" : failure?.rawValue ?? "http_error", duration: elapsed)
        if let status, !success { errorText = "HTTP \(status)" }
        let attemptNumber = task.attempts + 1
        // The jitter is drawn only when a retry may follow: each draw is a getrandom system call. A
        // webhook's own schedule replaces the global one; its delays reach the broker's tiers the
        // same way (`RetryScheduler`).
        let schedule = success ? retrySchedule : RetryPolicy.schedule(seconds: webhook.retrySchedule) ?? retrySchedule
        let decision = RetryPolicy.decide(
            statusCode: status, retryAfter: responseHeaders["retry-after"], attempt: attemptNumber, maxAttempts: webhook.maxAttempts,
            retryEnabled: webhook.retryEnabled, now: now, random: success ? 0 : Double.random(in: 0..<1), schedule: schedule)
        let attempt = DeliveryAttempt(
            taskId: task.id, webhookId: webhook.id, eventId: event.id, eventType: event.type, attemptNumber: attemptNumber,
            requestURL: webhook.url, requestHeaders: Self.redacted(signed.headers, custom: webhook.headers),
            requestBody: String(decoding: signed.body, as: UTF8.self), responseStatus: status, responseHeaders: responseHeaders,
            responseBody: responseBody, durationMs: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
            error: errorText, success: success, createdAt: now)
        logger.info(
            "delivery attempt",
            metadata: [
                "task_id": "\(task.id)", "webhook_id": "\(webhook.id)", "event_id": "\(event.id)", "attempt": "\(attemptNumber)",
                "status": "\(status.map(String.init) ?? "-")", "ms": "\(attempt.durationMs)", "outcome": "\(decision.status.rawValue)",
                "error": "\(errorText ?? "")",
            ])
        let record = AttemptRecord(
            attempt: attempt, status: decision.status, nextTryAt: decision.delay.map { now.addingTimeInterval(Self.seconds($0)) },
            disableReason: decision.disableReason)
        return (record, elapsed)
    }

    static func seconds(_ d: Duration) -> TimeInterval {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The request headers as stored: custom headers that look like credentials are masked (the
    /// registry's rule for its test sends, `StoredHeaders.request`).
    static func redacted(_ headers: [(name: String, value: String)], custom: [String: String]) -> [String: String] {
        StoredHeaders.request(headers, custom: custom)
    }
}
