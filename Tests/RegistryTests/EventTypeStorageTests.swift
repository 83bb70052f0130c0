import Foundation
import Logging
import PostgresNIO
import Testing
import WebhookCore

@testable import Storage

/// The event-type catalogue on PostgreSQL: migration 28's seed, the store's round trip, and the
/// registry's routes over it (checked against the OpenAPI document).
@Suite struct EventTypeStorageTests {
    @Test func theMigrationSeedsTheDocumentedTypes() async throws {
        try await ScratchDatabase.with(migratedUpTo: 27) { database, logger in
            try await Migrator.migrate(database.client, logger: logger)
            let stored = try await database.eventTypes.list(includeDeprecated: true)
            #expect(Set(stored.map(\.type)) == Set(EventCatalogue.all.map(\.type)))
            let failed = try #require(stored.first { $0.type == "job.failed" })
            #expect(failed.category == "job" && failed.description == "job failed" && failed.schema == nil && !failed.deprecated)
            #expect(stored.contains { $0.type == EventCatalogue.testEventType && $0.category == "webhook" })
            #expect(stored.map(\.type) == stored.map(\.type).sorted(), "listed by type")
        }
    }

    @Test func anEntryRoundTrips() async throws {
        try await ScratchDatabase.with { database, _ in
            let store = database.eventTypes
            let schema = try JSONParser.parse(
                #"{"type": "object", "properties": {"amount": {"type": "number", "minimum": 0.5, "maximum": 123456789012345678901234567890}}}"#)
            let created = try await store.create(
                EventTypeRecord(type: "invoice.paid", description: "it's paid", category: "billing", schema: schema, deprecated: false))
            #expect(created.schema == schema, "the document keeps its numbers exactly")
            #expect(created.description == "it's paid")
            do throws(StorageError) {
                _ = try await store.create(EventTypeRecord(type: "invoice.paid", description: "", category: "", schema: nil, deprecated: false))
                Issue.record("the same type was created twice")
            } catch {
                guard case .conflict(let constraint) = error else { throw error }
                #expect(constraint == StorageConstraint.eventType)
            }

            let kept = try #require(try await store.update(type: "invoice.paid", EventTypeChange(deprecated: true)))
            #expect(kept.deprecated && kept.schema == schema && kept.category == "billing", "fields not changed keep their value")
            #expect(kept.updatedAt > created.updatedAt)
            #expect(try await store.list(includeDeprecated: false).contains { $0.type == "invoice.paid" } == false)
            #expect(try await store.list(includeDeprecated: true).contains { $0.type == "invoice.paid" })

            let cleared = try #require(
                try await store.update(type: "invoice.paid", EventTypeChange(description: "paid", schema: .some(nil), deprecated: false)))
            #expect(cleared.schema == nil && cleared.description == "paid" && !cleared.deprecated)
            #expect(try await store.find(type: "invoice.paid") == cleared)
            #expect(try await store.update(type: "no.such", EventTypeChange(deprecated: true)) == nil)
            #expect(try await store.find(type: "no.such") == nil)
        }
    }

    @Test func theRoutesAnswerAsDocumented() async throws {
        try await Harness.run { h in
            let doc = try OpenAPIChecker(json: try await h.send(.get, "/openapi.json").json)
            let type = "contract.\(UUID().uuidString.prefix(8).lowercased())"
            let created = try await h.send(
                .post, "/api/v1/event-types", token: h.callers.root,
                body: #"{"type": "\#(type)", "category": "test", "schema": {"type": "object", "required": ["id"]}}"#)
            #expect(created.status == 201, "\(created)")
            #expect(doc.problems("POST", "/api/v1/event-types", created).isEmpty, "\(doc.problems("POST", "/api/v1/event-types", created))")
            let duplicate = try await h.send(.post, "/api/v1/event-types", token: h.callers.root, body: #"{"type": "\#(type)"}"#)
            #expect(duplicate.status == 409 && duplicate.code == "E_EVENT_TYPE_EXISTS", "\(duplicate)")
            #expect(doc.problems("POST", "/api/v1/event-types", duplicate).isEmpty)
            let forbidden = try await h.send(.post, "/api/v1/event-types", token: h.callers.adminA, body: #"{"type": "tenant.\#(type)"}"#)
            #expect(forbidden.status == 403)
            #expect(doc.problems("POST", "/api/v1/event-types", forbidden).isEmpty)
            let one = try await h.send(.get, "/api/v1/event-types/\(type)", token: h.callers.viewerA)
            #expect(one.status == 200)
            #expect(doc.problems("GET", "/api/v1/event-types/{type}", one).isEmpty, "\(doc.problems("GET", "/api/v1/event-types/{type}", one))")
            let refused = try await h.send(.patch, "/api/v1/event-types/\(type)", token: h.callers.root, body: #"{"schema": {"oneOf": []}}"#)
            #expect(refused.status == 422 && refused.code == "E_SCHEMA_UNKNOWN_KEYWORD", "\(refused)")
            #expect(doc.problems("PATCH", "/api/v1/event-types/{type}", refused).isEmpty)
            let deprecated = try await h.send(.post, "/api/v1/event-types/\(type)/deprecate", token: h.callers.root)
            #expect(deprecated.status == 200 && deprecated.data["deprecated"] as? Bool == true)
            #expect(doc.problems("POST", "/api/v1/event-types/{type}/deprecate", deprecated).isEmpty)
            let listed = try await h.send(.get, "/api/v1/event-types?include_deprecated=true", token: h.callers.viewerA)
            #expect(doc.problems("GET", "/api/v1/event-types", listed).isEmpty, "\(doc.problems("GET", "/api/v1/event-types", listed))")
        }
    }
}
