import Testing
import WebhookCore

/// The messages the services exchange: what one writes, the other reads.
@Suite struct ContractTests {
    @Test(arguments: ControlNotice.Change.allCases)
    func controlNoticeRoundTrips(_ change: ControlNotice.Change) throws {
        let notice = ControlNotice(change: change, tenantID: 7, webhookID: 42)
        #expect(String(decoding: notice.body, as: UTF8.self) == #"{"change": "\#(change.rawValue)", "tenant_id": 7, "webhook_id": 42}"#)
        #expect(try ControlNotice.decode(notice.body) == notice)
        #expect(notice.messageType == "webhook.\(change.rawValue)")
        #expect(notice.messageID(at: 1000) == "webhook-42-\(change.rawValue)-1000")
    }

    @Test(arguments: [
        "", "[]", #"{"change":"renamed","tenant_id":1,"webhook_id":2}"#, #"{"change":"created","webhook_id":2}"#,
        #"{"change":"created","tenant_id":1,"webhook_id":0}"#,
    ])
    func malformedControlNoticesAreRefused(_ body: String) {
        #expect(throws: EventValidationError.self) { try ControlNotice.decode(Array(body.utf8)) }
    }

    @Test func manualRetryTaskMessageIsTheTaskIDAlone() throws {
        let message = TaskMessage(taskID: 9, version: nil)
        #expect(String(decoding: message.body, as: UTF8.self) == #"{"task_id": 9}"#)
        #expect(try TaskMessage.decode(message.body) == message)
    }

    @Test func batchesAreToldByContentType() {
        #expect(WebhookTopology.isBatch(contentType: "application/vnd.webhooks.batch+ndjson; charset=utf-8"))
        #expect(WebhookTopology.isBatch(contentType: "Application/VND.webhooks.batch+ndjson"))
        #expect(!WebhookTopology.isBatch(contentType: "application/json"))
        #expect(!WebhookTopology.isBatch(contentType: nil))
    }
}
