import Foundation
import TestSupport
import Testing

/// `INGEST_CATALOGUE=strict` accepts only the event types of the catalogue.
@Suite("Ingest catalogue")
struct IngestCatalogueTests {
    @Test func strictModeRefusesTypesOutsideTheCatalogue() async throws {
        let env = try TestEnvironment.require()
        let platform = try await Platform.start(env, extra: ["INGEST_CATALOGUE": "strict"])
        let http = TestHTTP()
        do {
            let token = try await platform.adminToken(http)
            // A tenant of its own: an event without one would reach every tenant's webhooks,
            // including those of tests running alongside.
            let tenant = TestEnvironment.uniqueTenant()
            let events = platform.ingestURL + "/api/v1/events"
            let unknown = try await http.send("POST", events, token: token, body: #"{"type": "made.up", "tenant_id": \#(tenant)}"#)
            #expect(unknown.status == 400)
            #expect(unknown.json["code"] as? String == "E_UNKNOWN_EVENT_TYPE", "\(unknown.text)")
            let batch = try await http.send(
                "POST", events, token: token, body: #"[{"type": "job.failed", "tenant_id": \#(tenant)}, {"type": "made.up", "tenant_id": \#(tenant)}]"#)
            #expect(batch.status == 400, "a batch is accepted whole or not at all")
            #expect(batch.text.contains("events[1]"), "\(batch.text)")
            let known = try await http.send(
                "POST", events, token: token, body: #"[{"type": "job.failed", "tenant_id": \#(tenant)}, {"type": "NODE_CREATED", "tenant_id": \#(tenant)}]"#)
            #expect(known.status == 202, "\(known.text)")
        } catch {
            await platform.stop()
            await http.shutdown()
            throw error
        }
        await platform.stop()
        await http.shutdown()
    }
}
