import Foundation
import Testing
import WebhookCore

/// Replay and recovery jobs through the canonical API (`/api/v1/jobs`): what a new job is checked
/// against, who may create, see and cancel one, and how it is shown. Running them is covered end to
/// end (`ReplayJobTests`).
@Suite struct JobHandlerTests {
    @Test func aReplayIsQueuedForAVisibleActiveWebhookAndShownWithItsProgress() async throws {
        try await Registry.run { r in
            let webhook = try await r.send(
                .post, "/api/v1/webhooks", token: r.adminA, body: #"{"url": "https://example.com/replay", "events": ["job.*"]}"#)
            let id = try #require(webhook.data["webhook_id"] as? Int)
            let created = try await r.send(
                .post, "/api/v1/jobs", token: r.adminA,
                body:
                    #"{"kind": "replay", "webhook_id": \#(id), "since": "2026-01-01T00:00:00Z", "until": "2026-01-02T00:00:00Z", "event_types": ["job.failed"]}"#
            )
            #expect(created.status == 202, "\(created)")
            #expect(created.data["kind"] as? String == "replay" && created.data["status"] as? String == "queued", "\(created)")
            #expect(created.data["tenant_id"] as? Int == Int(Registry.tenantA), "\(created)")
            #expect(created.data["event_types"] as? [String] == ["job.failed"], "\(created)")
            #expect(
                created.data["until"] as? String == "2026-01-02T00:00:00.000Z" || (created.data["until"] as? String)?.hasPrefix("2026-01-02T00:00:00") == true)
            let progress = try #require(created.data["progress"] as? [String: Any])
            #expect(progress["scanned"] as? Int == 0 && progress["total"] is NSNull, "\(progress)")
            let jobID = try #require(created.data["id"] as? Int)

            let shown = try await r.send(.get, "/api/v1/jobs/\(jobID)", token: r.viewerA)
            #expect(shown.status == 200 && shown.data["id"] as? Int == jobID, "\(shown)")
            let listed = try await r.send(.get, "/api/v1/jobs?status=queued", token: r.viewerA)
            #expect(listed.items.map { $0["id"] as? Int } == [jobID], "\(listed)")

            // Another tenant sees nothing of it and cannot cancel it; its own admin can, once.
            #expect(try await r.send(.get, "/api/v1/jobs/\(jobID)", token: r.adminB).status == 404)
            #expect(try await r.send(.get, "/api/v1/jobs", token: r.adminB).items.isEmpty)
            let foreign = try await r.send(.post, "/api/v1/jobs/\(jobID)/cancel", token: r.adminB)
            #expect(foreign.status == 404 && foreign.code == "E_JOB_NOT_FOUND", "\(foreign)")
            #expect(try await r.send(.post, "/api/v1/jobs/\(jobID)/cancel", token: r.viewerA).status == 403)
            let cancelled = try await r.send(.post, "/api/v1/jobs/\(jobID)/cancel", token: r.adminA)
            #expect(cancelled.status == 200 && cancelled.data["status"] as? String == "cancelled", "\(cancelled)")
            let again = try await r.send(.post, "/api/v1/jobs/\(jobID)/cancel", token: r.adminA)
            #expect(again.status == 409 && again.code == "E_JOB_FINISHED", "\(again)")
            // The operator sees every tenant's jobs.
            #expect(try await r.send(.get, "/api/v1/jobs", token: r.root).items.count == 1)
        }
    }

    @Test func aNewJobIsCheckedBeforeItIsQueued() async throws {
        try await Registry.run { r in
            let mine = try await r.send(
                .post, "/api/v1/webhooks", token: r.adminA, body: #"{"url": "https://example.com/mine", "events": ["*"]}"#)
            let mineID = try #require(mine.data["webhook_id"] as? Int)
            let theirs = try await r.send(
                .post, "/api/v1/webhooks", token: r.adminB, body: #"{"url": "https://example.com/theirs", "events": ["*"]}"#)
            let theirID = try #require(theirs.data["webhook_id"] as? Int)
            let off = try await r.send(
                .post, "/api/v1/webhooks", token: r.adminA, body: #"{"url": "https://example.com/off", "events": ["*"], "status": "disabled"}"#)
            let offID = try #require(off.data["webhook_id"] as? Int)
            let since = "2026-01-01T00:00:00Z"
            let cases: [(body: String, status: Int, code: String)] = [
                (#"{"kind": "replay", "since": "\#(since)"}"#, 400, "E_MISSING_FIELD"),
                (#"{"kind": "replay", "webhook_id": \#(theirID), "since": "\#(since)"}"#, 404, "E_NOT_FOUND"),
                (#"{"kind": "replay", "webhook_id": \#(offID), "since": "\#(since)"}"#, 409, "E_WEBHOOK_DISABLED"),
                (#"{"kind": "replay", "webhook_id": \#(mineID), "since": "yesterday"}"#, 400, "E_INVALID_VALUE"),
                (#"{"kind": "replay", "webhook_id": \#(mineID), "since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"}"#, 400, "E_INVALID_VALUE"),
                (#"{"kind": "replay", "webhook_id": \#(mineID), "since": "\#(since)", "event_types": []}"#, 400, "E_INVALID_EVENTS"),
                (#"{"kind": "replay", "webhook_id": \#(mineID), "since": "\#(since)", "event_types": ["bad type"]}"#, 400, "E_INVALID_EVENTS"),
                (#"{"kind": "recover", "since": "\#(since)", "only_missing": true}"#, 400, "E_INVALID_VALUE"),
                (#"{"kind": "recover", "since": "\#(since)", "event_types": ["job.failed"]}"#, 400, "E_INVALID_VALUE"),
                (#"{"kind": "recover", "since": "\#(since)", "tenant_id": \#(Registry.tenantB)}"#, 403, "E_FORBIDDEN"),
            ]
            for test in cases {
                let reply = try await r.send(.post, "/api/v1/jobs", token: r.adminA, body: test.body)
                #expect(reply.status == test.status && reply.code == test.code, "\(test.body): \(reply)")
            }
            // A kind it does not know, and a field of the wrong type, are clear 400s.
            let kind = try await r.send(.post, "/api/v1/jobs", token: r.adminA, body: #"{"kind": "rewind", "since": "\#(since)"}"#)
            #expect(kind.status == 400, "\(kind)")
            let typed = try await r.send(.post, "/api/v1/jobs", token: r.adminA, body: #"{"kind": "recover", "since": 5}"#)
            #expect(typed.status == 400, "\(typed)")
            #expect(try await r.send(.post, "/api/v1/jobs", token: r.viewerA, body: #"{"kind": "recover", "since": "\#(since)"}"#).status == 403)
            // A tenant's recovery covers its own tasks; at most ten jobs wait at once.
            for n in 1...10 {
                let reply = try await r.send(.post, "/api/v1/jobs", token: r.adminA, body: #"{"kind": "recover", "since": "\#(since)"}"#)
                #expect(reply.status == 202 && reply.data["tenant_id"] as? Int == Int(Registry.tenantA), "\(n): \(reply)")
            }
            let over = try await r.send(.post, "/api/v1/jobs", token: r.adminA, body: #"{"kind": "recover", "since": "\#(since)"}"#)
            #expect(over.status == 409 && over.code == "E_TOO_MANY_JOBS", "\(over)")
            // Another tenant's budget is its own.
            let other = try await r.send(.post, "/api/v1/jobs", token: r.adminB, body: #"{"kind": "recover", "since": "\#(since)"}"#)
            #expect(other.status == 202, "\(other)")
        }
    }
}
