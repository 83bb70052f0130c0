import Foundation
import TestSupport
import Testing

/// `INGEST_CATALOGUE=strict` accepts only the event types of the catalogue stored in PostgreSQL,
/// each event's `data` checked against its type's schema.
@Suite("Ingest catalogue")
struct IngestCatalogueTests {
    /// One platform for every case (each platform leaves a virtual host with its quorum queues on
    /// the shared test broker).
    @Test func strictModeChecksTypesAndSchemasOfTheStoredCatalogue() async throws {
        try await Platform.with(["INGEST_CATALOGUE": "strict", "INGEST_CATALOGUE_REFRESH_SECONDS": "1"]) { platform, http, token in
            // A tenant of its own: an event without one would reach every tenant's webhooks,
            // including those of tests running alongside.
            let tenant = TestEnvironment.uniqueTenant()
            let events = platform.ingestURL + "/api/v1/events"
            let unknown = try await http.send("POST", events, token: token, body: #"{"type": "made.up", "tenant_id": \#(tenant)}"#)
            #expect(unknown.status == 400)
            #expect(unknown.json["code"] as? String == "E_UNKNOWN_EVENT_TYPE", "\(unknown.text)")
            let mixed = try await http.send(
                "POST", events, token: token, body: #"[{"type": "job.failed", "tenant_id": \#(tenant)}, {"type": "made.up", "tenant_id": \#(tenant)}]"#)
            #expect(mixed.status == 400, "a batch is accepted whole or not at all")
            #expect(mixed.text.contains("events[1]"), "\(mixed.text)")
            let seeded = try await http.send(
                "POST", events, token: token, body: #"[{"type": "job.failed", "tenant_id": \#(tenant)}, {"type": "NODE_CREATED", "tenant_id": \#(tenant)}]"#)
            #expect(seeded.status == 202, "the seeded types are accepted: \(seeded.text)")

            // The catalogue is platform-wide and tests share the database: a type of this test's own.
            let type = "e2e.\(UUID().uuidString.prefix(8).lowercased()).paid"
            let before = try await http.send("POST", events, token: token, body: #"{"type": "\#(type)", "tenant_id": \#(tenant)}"#)
            #expect(before.status == 400 && before.json["code"] as? String == "E_UNKNOWN_EVENT_TYPE", "\(before.text)")

            let schema =
                #"{"type": "object", "required": ["amount", "user"], "properties": {"amount": {"type": "number", "minimum": 0}, "user": {"type": "object", "required": ["id"]}}}"#
            let created = try await http.send(
                "POST", platform.registryURL + "/api/v1/event-types", token: token,
                body: #"{"type": "\#(type)", "category": "billing", "schema": \#(schema)}"#)
            #expect(created.status == 201, "\(created.text)")

            // Created after ingest started: accepted once ingest reloaded its catalogue.
            let valid = #"{"type": "\#(type)", "tenant_id": \#(tenant), "data": {"amount": 12.5, "user": {"id": "u-1"}}}"#
            let accepted = try await Self.eventually { try await http.send("POST", events, token: token, body: valid).status == 202 }
            #expect(accepted, "a type created after ingest started is accepted after the refresh")

            let negative = try await http.send(
                "POST", events, token: token, body: #"{"type": "\#(type)", "tenant_id": \#(tenant), "data": {"amount": -1, "user": {"id": "u-1"}}}"#)
            #expect(negative.status == 400, "\(negative.text)")
            #expect(negative.json["code"] as? String == "E_SCHEMA_VIOLATION")
            #expect((negative.json["message"] as? String ?? "").contains("$.data.amount: must be ≥ 0"), "\(negative.text)")
            let batch = try await http.send(
                "POST", events, token: token,
                body: #"[{"type": "job.failed", "tenant_id": \#(tenant)}, {"type": "\#(type)", "tenant_id": \#(tenant), "data": {"amount": 1, "user": {}}}]"#)
            #expect(batch.status == 400)
            #expect((batch.json["message"] as? String ?? "").hasPrefix("events[1]: $.data.user.id: is required"), "\(batch.text)")

            // Deprecated: hidden from the listing, still accepted.
            let deprecated = try await http.send("POST", platform.registryURL + "/api/v1/event-types/\(type)/deprecate", token: token)
            #expect(deprecated.status == 200, "\(deprecated.text)")
            try await Task.sleep(for: .milliseconds(2500))
            #expect(try await http.send("POST", events, token: token, body: valid).status == 202, "a deprecated type is still accepted")

            // A changed schema applies after the refresh as well.
            let changed = try await http.send(
                "PATCH", platform.registryURL + "/api/v1/event-types/\(type)", token: token,
                body: #"{"schema": {"type": "object", "required": ["currency"]}}"#)
            #expect(changed.status == 200, "\(changed.text)")
            let refused = try await Self.eventually { try await http.send("POST", events, token: token, body: valid).status == 400 }
            #expect(refused, "the new schema applies after the refresh")
        }
    }

    /// Polls `condition` for up to 15 seconds.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}
