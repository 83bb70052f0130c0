import Foundation
import TestSupport
import Testing

extension FaultTests {
    /// Strict ingest with PostgreSQL away: the catalogue loaded last keeps serving (a known type with
    /// valid data is accepted, a schema violation still refused, `/readyz` stays ready), and reloads
    /// resume once the database is back.
    @Test func strictIngestKeepsTheLastCatalogueWhileTheDatabaseIsAway() async throws {
        let env = try TestEnvironment.require()
        let platform = try await Platform.start(env, extra: ["INGEST_CATALOGUE": "strict", "INGEST_CATALOGUE_REFRESH_SECONDS": "1"])
        let http = TestHTTP()
        let tenant = TestEnvironment.uniqueTenant()
        let token = try await platform.adminToken(http)
        let type = "fault.\(UUID().uuidString.prefix(8).lowercased())"
        let created = try await http.send(
            "POST", platform.registryURL + "/api/v1/event-types", token: token,
            body: #"{"type": "\#(type)", "schema": {"type": "object", "required": ["n"]}}"#)
        #expect(created.status == 201, "\(created.text)")
        let events = platform.ingestURL + "/api/v1/events"
        let valid = #"{"type": "\#(type)", "tenant_id": \#(tenant), "data": {"n": 1}}"#
        let invalid = #"{"type": "\#(type)", "tenant_id": \#(tenant), "data": {}}"#
        var loaded = false
        for _ in 0..<75 where !loaded {
            loaded = try await http.send("POST", events, token: token, body: valid).status == 202
            if !loaded { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(loaded, "the new type reached ingest")

        try await env.infra("stop-postgres")
        // Several refreshes fail meanwhile.
        try await Task.sleep(for: .seconds(3))
        let during = try await http.send("POST", events, token: token, body: valid)
        #expect(during.status == 202, "the last catalogue keeps serving: \(during.text)")
        let refused = try await http.send("POST", events, token: token, body: invalid)
        #expect(refused.status == 400 && refused.json["code"] as? String == "E_SCHEMA_VIOLATION", "\(refused.text)")
        #expect(try await http.send("GET", platform.ingestURL + "/readyz").status == 200, "ingest stays ready")
        try await env.infra("start")

        #expect(platform.ingest.isRunning, "no restart needed")
        await platform.stop()
        await http.shutdown()
    }
}
