import Foundation
import TestSupport
import Testing

/// Replay and recovery jobs over real processes, RabbitMQ and PostgreSQL: a replay of a time range
/// to an endpoint created after it delivers exactly the events of that range, marked in the log; a
/// recovery schedules the failed tasks of a range again.
@Suite("Replay and recovery jobs end to end", .serialized)
struct ReplayJobTests {
    /// The registries of these tests run jobs (the platforms of other tests do not: see `Platform`).
    static let settings = ["REGISTRY_RUN_JOBS": "true"]

    @Test func aReplayOfARangeToANewEndpointDeliversExactlyTheEventsOfThatRange() async throws {
        let receiver = try await TestReceiver()
        try await Platform.with(Self.settings) { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            func publish(_ numbers: ClosedRange<Int>) async throws -> [String] {
                let events = numbers.map { #"{"type": "ledger.closed", "tenant_id": \#(tenant), "data": {"n": \#($0)}}"# }
                let ids = try await platform.postEvents(http, token: token, json: "[" + events.joined(separator: ",") + "]")
                try await waitForStoredEvents(platform, http, token: token, tenant: tenant, count: numbers.upperBound)
                return ids
            }
            _ = try await publish(1...3)
            let since = Date()
            try await Task.sleep(for: .milliseconds(50))
            let inRange = try await publish(4...7)
            let until = Date()
            try await Task.sleep(for: .milliseconds(50))
            _ = try await publish(8...9)

            // The endpoint did not exist when the events arrived.
            let webhook = try await platform.createWebhook(
                http, token: token, json: #"{"url": "\#(receiver.url("/late"))", "events": ["ledger.*"], "tenant_id": \#(tenant)}"#)
            try await platform.waitForIndex(http)
            #expect(receiver.requests.isEmpty)

            let body = #"{"kind": "replay", "webhook_id": \#(webhook.id), "since": "\#(Self.stamp(since))", "until": "\#(Self.stamp(until))"}"#
            let created = try await http.send(
                "POST", platform.registryURL + "/api/v1/jobs", token: token, body: body, headers: ["Idempotency-Key": "replay-\(tenant)"])
            #expect(created.status == 202, "\(created.text)")
            let jobID = try #require(created.data["id"] as? Int, "\(created.text)")
            // The same request again is the same job, not a second replay.
            let repeated = try await http.send(
                "POST", platform.registryURL + "/api/v1/jobs", token: token, body: body, headers: ["Idempotency-Key": "replay-\(tenant)"])
            #expect(repeated.status == 200 && repeated.data["id"] as? Int == jobID, "\(repeated.text)")

            let job = try await waitForJob(platform, http, token: token, id: jobID)
            #expect(job["status"] as? String == "completed", "\(job)")
            #expect((job["progress"] as? [String: Any])?["scheduled"] as? Int == 4, "\(job)")
            let received = await receiver.waitForRequests(4)
            try await Task.sleep(for: .seconds(1))
            let sent = Set(
                receiver.requests.compactMap { request in
                    (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["id"] as? String
                })
            #expect(received.count == 4 && receiver.requests.count == 4, "\(receiver.requests.map(\.bodyText))")
            #expect(sent == Set(inRange), "sent \(sent), expected \(inRange)")

            // Each attempt is marked as the job's in the log.
            let logs = try await platform.waitForLogs(http, token: token, webhookID: webhook.id) { $0.count == 4 }
            #expect(logs.count == 4)
            #expect(logs.allSatisfy { $0["replayed"] as? Bool == true && $0["job_id"] as? Int == jobID }, "\(logs)")

            // Only the missing ones: nothing left to send. Without it: the delivered events again.
            let missing = try await createJob(
                platform, http, token: token,
                #"{"kind": "replay", "webhook_id": \#(webhook.id), "since": "\#(Self.stamp(since))", "until": "\#(Self.stamp(until))", "only_missing": true}"#)
            let none = try await waitForJob(platform, http, token: token, id: missing)
            #expect((none["progress"] as? [String: Any])?["scheduled"] as? Int == 0, "\(none)")
            let again = try await createJob(
                platform, http, token: token,
                #"{"kind": "replay", "webhook_id": \#(webhook.id), "since": "\#(Self.stamp(since))", "until": "\#(Self.stamp(until))", "event_types": ["ledger.closed"]}"#
            )
            let resent = try await waitForJob(platform, http, token: token, id: again)
            #expect((resent["progress"] as? [String: Any])?["scheduled"] as? Int == 4, "\(resent)")
            #expect(await receiver.waitForRequests(8).count == 8)
            let relogged = try await platform.waitForLogs(http, token: token, webhookID: webhook.id) { $0.count == 8 }
            #expect(relogged.filter { $0["job_id"] as? Int == again }.count == 4, "\(relogged)")
        }
        await receiver.stop()
    }

    @Test func aRecoveryJobSchedulesTheFailedTasksOfARangeAgain() async throws {
        // The first three requests fail; every later one succeeds.
        let receiver = try await TestReceiver { number, _ in ReceiverReply(status: number <= 3 ? 500 : 200) }
        try await Platform.with(Self.settings) { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            let webhook = try await platform.createWebhook(
                http, token: token,
                json: #"{"url": "\#(receiver.url("/flaky"))", "events": ["ledger.closed"], "tenant_id": \#(tenant), "max_attempts": 1}"#)
            try await platform.waitForIndex(http)
            let since = Date()
            let events = (1...3).map { #"{"type": "ledger.closed", "tenant_id": \#(tenant), "data": {"n": \#($0)}}"# }
            try await platform.postEvents(http, token: token, json: "[" + events.joined(separator: ",") + "]")
            let failed = try await platform.waitForLogs(http, token: token, webhookID: webhook.id) { $0.count == 3 }
            #expect(failed.count == 3 && failed.allSatisfy { $0["success"] as? Bool == false }, "\(failed)")
            try await waitForTasks(platform, http, token: token, webhookID: webhook.id, status: "failed", count: 3)

            let jobID = try await createJob(
                platform, http, token: token, #"{"kind": "recover", "webhook_id": \#(webhook.id), "since": "\#(Self.stamp(since))"}"#)
            let job = try await waitForJob(platform, http, token: token, id: jobID)
            #expect(job["status"] as? String == "completed" && (job["progress"] as? [String: Any])?["scheduled"] as? Int == 3, "\(job)")
            #expect(await receiver.waitForRequests(6).count == 6)
            try await waitForTasks(platform, http, token: token, webhookID: webhook.id, status: "success", count: 3)
            let logs = try await platform.waitForLogs(http, token: token, webhookID: webhook.id) { $0.count == 6 }
            #expect(logs.filter { $0["success"] as? Bool == true && $0["job_id"] as? Int == jobID }.count == 3, "\(logs)")
        }
        await receiver.stop()
    }

    @Test func aReplayGoesOnFromItsCursorAfterTheRegistryIsKilled() async throws {
        // A slow endpoint and small batches keep the job running for seconds; the endpoint takes the
        // whole window at once, so no task waits behind its concurrency limit.
        let receiver = try await TestReceiver { _, _ in ReceiverReply(delay: .milliseconds(200)) }
        let settings = Self.settings.merging(["REGISTRY_JOB_BATCH": "20", "REGISTRY_JOB_WINDOW": "40", "DELIVERY_ENDPOINT_CONCURRENCY": "64"]) { _, new in new }
        try await Platform.with(settings) { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            let since = Date()
            var published: [String] = []
            for chunk in 0..<6 {
                let events = (0..<100).map { #"{"type": "ledger.closed", "tenant_id": \#(tenant), "data": {"n": \#(chunk * 100 + $0)}}"# }
                published += try await platform.postEvents(http, token: token, json: "[" + events.joined(separator: ",") + "]")
            }
            try await waitForStoredEvents(platform, http, token: token, tenant: tenant, count: 600)
            let webhook = try await platform.createWebhook(
                http, token: token,
                json: #"{"url": "\#(receiver.url("/resume"))", "events": ["ledger.closed"], "tenant_id": \#(tenant)}"#)
            try await platform.waitForIndex(http)
            let jobID = try await createJob(
                platform, http, token: token, #"{"kind": "replay", "webhook_id": \#(webhook.id), "since": "\#(Self.stamp(since))"}"#)

            // Killed while the job is under way: some batches committed, more to come.
            let deadline = ContinuousClock.now + .seconds(30)
            var scanned = 0
            while scanned < 60 && ContinuousClock.now < deadline {
                let job = try await http.send("GET", platform.registryURL + "/api/v1/jobs/\(jobID)", token: token).data
                scanned = (job["progress"] as? [String: Any])?["scanned"] as? Int ?? 0
                try await Task.sleep(for: .milliseconds(20))
            }
            await platform.registry.kill9()
            let before = receiver.requests.count
            #expect(scanned >= 60 && before < 600, "scanned \(scanned), delivered \(before) when the registry was killed")

            let (replacement, url) = try platform.startRegistry()
            defer { Task { _ = await replacement.stop() } }
            #expect(await http.waitUntilReady(url + "/readyz", while: { replacement.isRunning }))
            let job = try await waitForJob(platform, http, token: token, id: jobID, registryURL: url, timeout: .seconds(120))
            #expect(job["status"] as? String == "completed", "\(job)")
            #expect((job["progress"] as? [String: Any])?["scheduled"] as? Int == 600, "\(job)")
            // Every event once: none skipped, none sent twice (a task whose message the killed
            // registry did not publish is sent by delivery's sweeper).
            _ = await receiver.waitForRequests(600, timeout: .seconds(120))
            try await Task.sleep(for: .seconds(1))
            let sent = receiver.requests.compactMap { request in
                (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["id"] as? String
            }
            #expect(sent.count == 600 && Set(sent) == Set(published), "\(sent.count) requests, \(Set(sent).count) distinct")
            _ = await replacement.stop()
        }
        await receiver.stop()
    }

    static func stamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    func createJob(_ platform: Platform, _ http: TestHTTP, token: String, _ body: String) async throws -> Int {
        let created = try await http.send("POST", platform.registryURL + "/api/v1/jobs", token: token, body: body)
        #expect(created.status == 202, "\(created.text)")
        return try #require(created.data["id"] as? Int, "\(created.text)")
    }

    /// Polls the job until it is no longer queued or running.
    func waitForJob(
        _ platform: Platform, _ http: TestHTTP, token: String, id: Int, registryURL: String? = nil, timeout: Duration = .seconds(30)
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let job = try await http.send("GET", (registryURL ?? platform.registryURL) + "/api/v1/jobs/\(id)", token: token).data
            let status = job["status"] as? String
            if status != "queued" && status != "running" || ContinuousClock.now > deadline { return job }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Polls the event listing until the tenant has `count` events stored.
    func waitForStoredEvents(_ platform: Platform, _ http: TestHTTP, token: String, tenant: Int64, count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let listed = try await http.send("GET", platform.registryURL + "/api/v1/events?tenant_id=\(tenant)&page_size=100", token: token)
            if ((listed.data["pagination"] as? [String: Any])?["total"] as? Int ?? 0) >= count { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(count) events of tenant \(tenant) were not stored in time")
    }

    /// Polls the webhook's tasks until `count` have `status`.
    func waitForTasks(_ platform: Platform, _ http: TestHTTP, token: String, webhookID: Int, status: String, count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let listed = try await http.send(
                "GET", platform.registryURL + "/api/v1/tasks?webhook_id=\(webhookID)&status=\(status)", token: token)
            if ((listed.data["pagination"] as? [String: Any])?["total"] as? Int ?? 0) >= count { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("\(count) tasks of webhook \(webhookID) did not become \(status) in time")
    }
}
