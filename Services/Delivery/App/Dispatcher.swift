import Foundation
import Logging
import Outbound
import Storage
import WebhookCore

/// Sends one delivery attempt and records it: build the signed request, POST it through the
/// outbound client, store the attempt and the task's new state.
struct Dispatcher: Sendable {
    let client: OutboundClient
    let deliveries: DeliveryStore
    let connectTimeout: Duration
    let requestTimeout: Duration
    let logger: Logger

    /// Header names whose values are never stored or shown, since they usually carry credentials.
    static let sensitiveHeaderWords = ["auth", "token", "secret", "key", "cookie", "password", "signature"]

    /// Attempts `task` once and records the outcome.
    /// - Throws: `StorageError` when the outcome could not be recorded (the caller must not ack).
    func attempt(_ task: DeliveryTask, webhook: Webhook, event: Event) async throws(StorageError) {
        let timestamp = Int64(Date().timeIntervalSince1970)
        let signed = WebhookRequest.make(webhook: webhook, event: event, messageID: task.messageID, timestamp: timestamp)
        var request = OutboundRequest(url: signed.url, body: signed.body)
        request.headers = signed.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) }
        request.connectTimeout = connectTimeout
        request.totalTimeout = requestTimeout
        let started = ContinuousClock.now
        let startedAt = Date()
        var status: Int?
        var responseHeaders: [String: String] = [:]
        var responseBody: String?
        var errorText: String?
        do {
            let response = try await client.send(request)
            status = response.statusCode
            for header in response.headers { responseHeaders[header.name.lowercased()] = header.value }
            responseBody = String(decoding: response.body, as: UTF8.self)
        } catch let error as OutboundError {
            errorText = error.description
        } catch {
            errorText = "\(error)"
        }
        let elapsed = ContinuousClock.now - started
        let success = status.map { (200..<300).contains($0) } ?? false
        if status != nil && !success { errorText = "HTTP \(status!)" }
        let attempt = DeliveryAttempt(
            taskId: task.id, webhookId: webhook.id, eventId: event.id, eventType: event.type, attemptNumber: task.attempts + 1,
            requestURL: webhook.url, requestHeaders: Self.redacted(signed.headers, custom: webhook.headers),
            requestBody: String(decoding: signed.body, as: UTF8.self), responseStatus: status, responseHeaders: responseHeaders,
            responseBody: responseBody, durationMs: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
            error: errorText, success: success, createdAt: startedAt)
        try await deliveries.recordAttempt(attempt, status: success ? .success : .failed, nextTryAt: nil)
        logger.info("delivery attempt", metadata: [
            "task_id": "\(task.id)", "webhook_id": "\(webhook.id)", "event_id": "\(event.id)",
            "status": "\(status.map(String.init) ?? "-")", "ms": "\(attempt.durationMs)", "error": "\(errorText ?? "")",
        ])
    }

    /// The request headers as stored: custom headers that look like credentials are masked.
    static func redacted(_ headers: [(name: String, value: String)], custom: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        let customNames = Set(custom.keys.map { $0.lowercased() })
        for (name, value) in headers {
            let lower = name.lowercased()
            if customNames.contains(lower) && sensitiveHeaderWords.contains(where: { lower.contains($0) }) {
                out[name] = "[redacted]"
            } else {
                out[name] = value
            }
        }
        return out
    }
}
