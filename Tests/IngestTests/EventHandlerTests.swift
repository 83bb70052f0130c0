import Foundation
import Messaging
import Testing
import WebhookCore

/// `POST /api/v1/events` over a recording publisher: validation, tenancy, batches, confirms.
@Suite struct EventHandlerTests {
    func expectError(_ reply: Reply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.code == code, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["message"] is String, "\(reply)", sourceLocation: sourceLocation)
    }

    @Test func oneEventIsAcceptedOnceConfirmed() async throws {
        try await Ingest.run { i in
            let reply = try await i.post(#"{"id": "evt_1", "type": "job.failed", "data": {"job": 42}}"#)
            #expect(reply.status == 202, "\(reply)")
            #expect(reply.object["code"] as? Int == 0)
            #expect(reply.object["message"] as? String == "accepted")
            #expect(reply.data["ids"] as? [String] == ["evt_1"])
            #expect(reply.data["count"] as? Int == 1)
            let published = try #require(i.publisher.published.first)
            #expect(published.map(\.id) == ["evt_1"])
            #expect(published.first?.type == "job.failed")
            #expect(published.first?.tenantId == 7, "a tenant publisher's events are its tenant's")
            #expect(published.first?.data["job"]?.int64Value == 42)
        }
    }

    @Test func aBatchIsPublishedAsOneCall() async throws {
        try await Ingest.run { i in
            let reply = try await i.post(#"[{"id": "a", "type": "job.failed"}, {"id": "b", "type": "job.started"}]"#)
            #expect(reply.status == 202, "\(reply)")
            #expect(reply.data["ids"] as? [String] == ["a", "b"])
            #expect(reply.data["count"] as? Int == 2)
            #expect(i.publisher.published.map { $0.map(\.id) } == [["a", "b"]])

            expectError(try await i.post("[]"), 400, "E_EMPTY_BATCH")
            expectError(try await i.post(#"[{"type": "a.b"}, {"type": "a.b"}, {"type": "a.b"}, {"type": "a.b"}]"#), 413, "E_BATCH_TOO_LARGE")
            // One bad event refuses the whole batch, naming it; nothing is published.
            let bad = try await i.post(#"[{"id": "c", "type": "job.failed"}, {"id": "d"}]"#)
            expectError(bad, 400, "E_MISSING_FIELD")
            #expect((bad.object["message"] as? String)?.hasPrefix("events[1]: ") == true, "\(bad)")
            #expect(i.publisher.published.count == 1)
        }
    }

    @Test func validationErrorsHaveStableCodes() async throws {
        try await Ingest.run { i in
            expectError(try await i.post("{not json"), 400, "E_INVALID_JSON")
            expectError(try await i.post(#""just a string""#), 400, "E_INVALID_EVENT")
            expectError(try await i.post(#"{"id": "x"}"#), 400, "E_MISSING_FIELD")
            expectError(try await i.post(#"{"type": 5}"#), 400, "E_WRONG_TYPE")
            expectError(try await i.post(#"{"type": "no spaces allowed"}"#), 400, "E_INVALID_EVENT_TYPE")
            expectError(try await i.post(#"{"type": "a.b", "colour": "red"}"#), 400, "E_UNKNOWN_FIELD")
            expectError(try await i.post(#"{"type": "a.b", "occurred_at": "yesterday"}"#), 400, "E_INVALID_TIMESTAMP")
            expectError(try await i.post(#"{"type": "a.b", "association_type": "TEAM"}"#), 400, "E_INVALID_ASSOCIATION")
            expectError(try await i.post(#"{"type": "a.b", "id": "has space"}"#), 400, "E_INVALID_ID")
            expectError(try await i.post(#"{"type": "a.b", "data": {"blob": "\#(String(repeating: "x", count: 4096))"}}"#), 413, "E_EVENT_TOO_LARGE")
            expectError(try await i.post("[" + String(repeating: #"{"type": "a.b"},"#, count: 2000) + #"{"type": "a.b"}]"#), 413, "E_BODY_TOO_LARGE")
            #expect(i.publisher.published.isEmpty)
        }
    }

    @Test func strictCatalogueRefusesUnknownTypes() async throws {
        try await Ingest.run(configure: { $0.strictCatalogue = true }) { i in
            expectError(try await i.post(#"{"type": "made.up"}"#), 400, "E_UNKNOWN_EVENT_TYPE")
            let known = try #require(EventCatalogue.all.first?.type)
            #expect(try await i.post(#"{"type": "\#(known)"}"#).status == 202)
        }
    }

    @Test func authenticationAndTenancy() async throws {
        try await Ingest.run { i in
            let anonymous = try await i.post(#"{"type": "a.b"}"#, token: .some(nil))
            expectError(anonymous, 401, "E_UNAUTHORIZED")
            #expect(anonymous.header("WWW-Authenticate") == "Bearer")
            expectError(try await i.post(#"{"type": "a.b"}"#, token: "forged"), 401, "E_UNAUTHORIZED")
            expectError(try await i.post(#"{"type": "a.b"}"#, token: i.viewerToken), 403, "E_FORBIDDEN")
            expectError(try await i.post(#"{"type": "a.b", "tenant_id": 8}"#), 403, "E_FORBIDDEN")
            #expect(i.publisher.published.isEmpty)

            // A tenant-less admin publishes for any tenant, or platform-wide.
            #expect(try await i.post(#"{"type": "a.b", "tenant_id": 8}"#, token: i.adminToken).status == 202)
            #expect(try await i.post(#"{"type": "a.b"}"#, token: i.adminToken).status == 202)
            #expect(i.publisher.published.map { $0.first?.tenantId } == [8, nil])
        }
    }

    @Test func idempotencyKeyGivesStableIds() async throws {
        try await Ingest.run { i in
            let first = try await i.post(#"[{"type": "a.b"}, {"type": "a.b"}]"#, headers: ["Idempotency-Key": "order-17"])
            let again = try await i.post(#"[{"type": "a.b"}, {"type": "a.b"}]"#, headers: ["Idempotency-Key": "order-17"])
            let ids = try #require(first.data["ids"] as? [String])
            #expect(ids.count == 2 && ids[0] != ids[1])
            #expect(again.data["ids"] as? [String] == ids, "a retried request gets the same ids")
            let other = try await i.post(#"{"type": "a.b"}"#)
            #expect((other.data["ids"] as? [String])?.first?.hasPrefix("evt_") == true)
        }
    }

    @Test func unconfirmedEventsAre503WithWhatToRetry() async throws {
        try await Ingest.run(publisher: RecordingEventPublisher(refusing: ["b"])) { i in
            let reply = try await i.post(#"[{"id": "a", "type": "a.b"}, {"id": "b", "type": "a.b"}]"#)
            expectError(reply, 503, "E_BROKER_UNAVAILABLE")
            #expect(reply.header("Retry-After") == "5")
            #expect(reply.data["accepted"] as? [String] == ["a"])
            #expect(reply.data["failed"] as? [String] == ["b"])
        }
    }

    @Test func healthNeedsNoToken() async throws {
        try await Ingest.run { i in
            let health = try await i.client.execute(uri: "/healthz", method: .get, headers: [:], body: nil)
            #expect(health.status == .ok)
            let ready = try await i.client.execute(uri: "/readyz", method: .get, headers: [:], body: nil)
            #expect(ready.status == .ok)
        }
    }
}
