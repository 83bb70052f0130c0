import Foundation
import IngestApp
import Testing
import WebhookCore

/// Strict mode over a catalogue with schemas: unknown types, schema violations naming the path,
/// the catalogue before its first load, and a reload that recompiles only what changed.
@Suite("Ingest strict catalogue")
struct CatalogueHandlerTests {
    static func catalogue() throws -> IngestCatalogue {
        let schema = try JSONParser.parse(
            #"{"type": "object", "required": ["amount", "user"], "properties": {"amount": {"type": "number", "minimum": 0}, "user": {"type": "object", "required": ["id"]}}}"#
        )
        return IngestCatalogue(entries: [
            .init(type: "invoice.paid", schema: schema), .init(type: "job.failed", schema: nil),
        ])
    }

    @Test func eventsAreCheckedAgainstTheirTypesSchema() async throws {
        try await Ingest.run(configure: { $0.strictCatalogue = true }, catalogue: try Self.catalogue()) { i in
            let valid = try await i.post(#"{"type": "invoice.paid", "data": {"amount": 5, "user": {"id": "u1"}}}"#)
            #expect(valid.status == 202, "\(valid)")
            let negative = try await i.post(#"{"type": "invoice.paid", "data": {"amount": -1, "user": {"id": "u1"}}}"#)
            #expect(negative.status == 400)
            #expect(negative.code == "E_SCHEMA_VIOLATION")
            #expect((negative.object["message"] as? String ?? "").hasPrefix("$.data.amount: must be ≥ 0"), "\(negative)")
            let missing = try await i.post(
                #"[{"type": "job.failed"}, {"type": "invoice.paid", "data": {"amount": 1, "user": {}}}]"#)
            #expect(missing.status == 400)
            #expect((missing.object["message"] as? String ?? "").hasPrefix("events[1]: $.data.user.id: is required"), "\(missing)")
            let unknown = try await i.post(#"{"type": "made.up"}"#)
            #expect(unknown.status == 400 && unknown.code == "E_UNKNOWN_EVENT_TYPE")
            #expect(i.publisher.published.count == 1, "refused requests publish nothing")
        }
    }

    @Test func beforeTheFirstLoadEventsWait() async throws {
        try await Ingest.run(configure: { $0.strictCatalogue = true }, catalogue: IngestCatalogue()) { i in
            let reply = try await i.post(#"{"type": "job.failed"}"#)
            #expect(reply.status == 503, "\(reply)")
            #expect(reply.code == "E_CATALOGUE_UNAVAILABLE")
        }
    }

    @Test func openModeIgnoresTheCatalogue() async throws {
        try await Ingest.run(catalogue: IngestCatalogue()) { i in
            let reply = try await i.post(#"{"type": "made.up", "data": {"amount": -1}}"#)
            #expect(reply.status == 202, "\(reply)")
        }
    }

    @Test func aReloadCompilesOnlyChangedSchemas() throws {
        let catalogue = try Self.catalogue()
        let same = try JSONParser.parse(
            #"{"type": "object", "required": ["amount", "user"], "properties": {"amount": {"type": "number", "minimum": 0}, "user": {"type": "object", "required": ["id"]}}}"#
        )
        var outcome = catalogue.replace(with: [.init(type: "invoice.paid", schema: same), .init(type: "job.failed", schema: nil)])
        #expect(outcome.compiled == 0)
        let stricter = try JSONParser.parse(#"{"type": "object", "required": ["amount"]}"#)
        outcome = catalogue.replace(with: [
            .init(type: "invoice.paid", schema: stricter), .init(type: "job.failed", schema: nil), .init(type: "new.one", schema: .null),
        ])
        #expect(outcome.compiled == 2)
        #expect(outcome.unusable == ["new.one"])
        #expect(catalogue.check(type: "invoice.paid", data: .object([])) != .accepted)
        if case .violation(let violation) = catalogue.check(type: "new.one", data: .object([])) {
            #expect(violation.path == "$.data")
        } else {
            Issue.record("an unusable schema accepted an event")
        }
        #expect(catalogue.check(type: "job.failed", data: .null) == .accepted)
        #expect(catalogue.check(type: "gone", data: .null) == .unknownType)
    }
}
