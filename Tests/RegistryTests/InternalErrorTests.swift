import Foundation
import Logging
import TestSupport
import Testing

/// A failure inside the registry is answered 500 `E_INTERNAL` in every dialect's envelope with the
/// request's id, and nothing of what failed; the log has the cause under that id.
@Suite struct InternalErrorTests {
    @Test func aFailingStatementIsAnsweredWithoutItsText() async throws {
        try await ScratchDatabase.withURL { url in
            let logs = LogCapture()
            try await Harness.run(databaseURL: url, logs: logs) { h in
                let id = try await h.createWebhook()
                // A schema the code does not expect: every read of a webhook fails inside PostgreSQL.
                _ = try await Fixtures.withDatabase(url: url) { client in
                    try await client.query("ALTER TABLE webhooks RENAME COLUMN description TO description_gone", logger: Logger(label: "test"))
                }
                let paths = [
                    "/api/v1/webhooks", "/api/v1/webhooks/\(id)", "/api/webhooks", "/api/webhooks/", "/api/webhooks/\(id)",
                    "/webhook/api/webhook/list", "/webhook/api/webhook/\(id)",
                ]
                for path in paths {
                    let reply = try await h.send(.get, path, token: h.callers.adminA)
                    #expect(reply.status == 500 && reply.code == "E_INTERNAL", "\(path): \(reply)")
                    let requestId = try #require(reply.header("X-Request-Id"), "\(path)")
                    #expect(!requestId.isEmpty)
                    #expect(reply.object["request_id"] as? String == requestId, "\(path): \(reply)")
                    if path.hasPrefix("/webhook/api/") { #expect(reply.object["traceId"] as? String == requestId) }
                    #expect(HostileInputTests.envelopeProblem(path, reply) == nil, "\(path): \(reply)")
                    for word in HostileInputTests.internalWords + ["description", "42703", "column", "does not exist"] {
                        #expect(!reply.text.contains(word), "\(path) answered '\(word)': \(reply)")
                    }
                    let lines = logs.lines
                    #expect(
                        lines.contains { $0.contains("internal error") && $0.contains("request_id=\(requestId)") && $0.contains("42703") },
                        "the cause is logged under the request id")
                    #expect(
                        lines.contains { $0.contains(" 500") && $0.contains("hb.request.id=\(requestId)") },
                        "the request's own log line carries the same id")
                }
                let fine = try await h.send(.get, "/api/v1/event-types", token: h.callers.adminA)
                #expect(fine.status == 200 && fine.header("X-Request-Id")?.isEmpty == false, "every answer carries its id")
            }
        }
    }
}
