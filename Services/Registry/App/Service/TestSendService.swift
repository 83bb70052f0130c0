import Foundation
import Logging
import ServiceKit
import Storage
import WebhookCore

/// A test send and the log it left.
struct TestSend: Sendable {
    /// What was sent and what came back, as sent (headers unmasked, for the admin who asked).
    var outcome: TestOutcome
    /// The attempt as recorded in the webhook's logs; `nil` when it could not be recorded (the
    /// webhook was deleted meanwhile, or the database failed after the send).
    var log: DeliveryAttempt?
}

/// The synchronous test of a webhook: sends a `WEBHOOK_TEST` event with `WebhookTester`, then records
/// it in the webhook's logs as a test attempt (in the webhook's tenant), next to its deliveries.
/// Test attempts have no task, are never retried, and count neither in the statistics nor towards
/// auto-disabling the endpoint.
struct TestSendService: Sendable {
    let tester: WebhookTester
    let logs: any AttemptLogRepository
    let logger: Logger

    /// Sends the test and records it. The send has happened whatever the recording does, so a
    /// recording failure is logged and the outcome still answered (with no log).
    func send(_ webhook: Webhook, by identity: Identity) async -> TestSend {
        let outcome = await tester.test(webhook, by: identity.subject)
        do {
            let log = try await logs.recordTestSend(outcome.attempt(of: webhook), tenantId: webhook.tenantId)
            return TestSend(outcome: outcome, log: log)
        } catch {
            logger.warning(
                "test send not recorded in the logs",
                metadata: [
                    "webhook_id": "\(webhook.id)", "event_id": "\(outcome.eventId)", "error": "\(error)",
                ])
            return TestSend(outcome: outcome, log: nil)
        }
    }
}

extension TestOutcome {
    /// The test as an attempt log keeps it, exactly as delivery keeps its attempts: the body as
    /// sent, credential-like custom headers masked, response headers by lowercase name, the
    /// response body as read (cut at the same limit).
    func attempt(of webhook: Webhook) -> DeliveryAttempt {
        DeliveryAttempt(
            taskId: 0, webhookId: webhook.id, eventId: eventId, eventType: EventCatalogue.testEventType, attemptNumber: 1,
            requestURL: requestURL, requestHeaders: StoredHeaders.request(requestHeaders, custom: webhook.headers),
            requestBody: requestBody, responseStatus: statusCode,
            // What the receiver answered may hold NUL (a binary body): stored as delivery stores it.
            responseHeaders: StoredHeaders.response(responseHeaders).reduce(into: [:]) {
                $0[StorableText.storable($1.key)] = StorableText.storable($1.value)
            },
            responseBody: responseBody.map(StorableText.storable), durationMs: durationMs,
            error: error.map(StorableText.storable), success: success, createdAt: sentAt, isTest: true)
    }
}
