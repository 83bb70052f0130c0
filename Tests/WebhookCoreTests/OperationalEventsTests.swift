import Foundation
import Testing
import WebhookCore

@Suite("Operational events")
struct OperationalEventsTests {
    let webhook = Webhook(id: 42, tenantId: 7, name: "ci", url: "https://example.com/hook", secret: "s", events: ["*"], createdBy: "ada", updatedBy: "ada")
    let time = Date(timeIntervalSince1970: 1_790_000_000.123)

    @Test func idsAreDerivedFromTheFactSoARepeatIsADuplicate() {
        let hook = webhook
        let a = OperationalEvents.disabled(hook, reason: "410 Gone", at: time)
        #expect(a.id == "op_webhook_disabled_42_1790000000123")
        #expect(OperationalEvents.disabled(hook, reason: "410 Gone", at: time).id == a.id)
        #expect(a.type == "webhook.disabled" && a.tenantId == 7 && a.resourceKey == "webhook/42")
        #expect(
            a.data
                == .object([
                    ("webhook_id", .integer("42")), ("name", .string("ci")), ("url", .string("https://example.com/hook")),
                    ("reason", .string("410 Gone")), ("disabled_at", .string("2026-09-21T14:13:20.123Z")),
                ]))
        let enabled = OperationalEvents.enabled(hook, by: "ada", at: time)
        #expect(enabled.id == "op_webhook_enabled_42_1790000000123" && enabled.type == "webhook.enabled")
        #expect(
            enabled.data
                == .object([
                    ("webhook_id", .integer("42")), ("name", .string("ci")), ("url", .string("https://example.com/hook")), ("enabled_by", .string("ada")),
                ]))
    }

    @Test func anExhaustedTaskNamesItsEventAndLastAnswer() {
        let hook = webhook
        let attempt = DeliveryAttempt(
            id: 1, taskId: 0, webhookId: 42, eventId: "evt_1", eventType: "job.failed", attemptNumber: 7, requestURL: hook.url,
            requestHeaders: [:], requestBody: nil, responseStatus: 503, responseHeaders: [:], responseBody: nil, durationMs: 12, error: nil,
            success: false, createdAt: time)
        let event = OperationalEvents.exhausted(taskID: 900, webhook: hook, attempt: attempt)
        #expect(event.id == "op_task_exhausted_900_7" && event.type == "task.exhausted" && event.tenantId == 7)
        #expect(
            event.data
                == .object([
                    ("task_id", .integer("900")), ("webhook_id", .integer("42")), ("event_id", .string("evt_1")), ("event_type", .string("job.failed")),
                    ("attempts", .integer("7")), ("last_status_code", .integer("503")), ("last_error", .null),
                ]))
    }

    @Test func operationalEventsNeverAnnounceTheirOwnExhaustion() {
        for type in OperationalEvents.types { #expect(!OperationalEvents.emitsExhaustion(eventType: type)) }
        #expect(OperationalEvents.emitsExhaustion(eventType: "job.failed"))
        #expect(OperationalEvents.types.allSatisfy { type in EventCatalogue.all.contains { $0.type == type } }, "in the catalogue")
    }
}
