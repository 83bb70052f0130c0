import Foundation
import Testing
import WebhookCore

/// `/api/v1/event-types`: the catalogue as a resource over the in-memory store.
@Suite("Event-type catalogue handlers")
struct EventTypeHandlerTests {
    static let invoiceSchema = #"""
        {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number", "minimum": 0}}}
        """#

    @Test func operatorCreatesReadsUpdatesAndDeprecates() async throws {
        try await Registry.run { r in
            let created = try await r.send(
                .post, "/api/v1/event-types", token: r.root,
                body: #"{"type": "invoice.paid", "description": "an invoice was paid", "category": "billing", "schema": \#(Self.invoiceSchema)}"#)
            #expect(created.status == 201, "\(created)")
            #expect(created.data["type"] as? String == "invoice.paid")
            #expect(created.data["deprecated"] as? Bool == false)
            #expect((created.data["schema"] as? [String: Any])?["required"] as? [String] == ["amount"])
            #expect(created.data["created_at"] is String && created.data["updated_at"] is String)

            let one = try await r.send(.get, "/api/v1/event-types/invoice.paid", token: r.viewerA)
            #expect(one.status == 200, "\(one)")
            #expect(one.data["category"] as? String == "billing")

            let patched = try await r.send(
                .patch, "/api/v1/event-types/invoice.paid", token: r.root, body: #"{"description": "paid in full", "schema": null}"#)
            #expect(patched.status == 200, "\(patched)")
            #expect(patched.data["description"] as? String == "paid in full")
            #expect(patched.data["category"] as? String == "billing", "a field not sent keeps its value")
            #expect(patched.data["schema"] is NSNull, "null removes the schema")

            let deprecated = try await r.send(.post, "/api/v1/event-types/invoice.paid/deprecate", token: r.root)
            #expect(deprecated.status == 200, "\(deprecated)")
            #expect(deprecated.data["deprecated"] as? Bool == true)
            let listed = try await r.send(.get, "/api/v1/event-types", token: r.adminA)
            #expect(!listed.items.contains { $0["type"] as? String == "invoice.paid" }, "deprecated entries are hidden by default")
            let all = try await r.send(.get, "/api/v1/event-types?include_deprecated=true", token: r.adminA)
            #expect(all.items.contains { $0["type"] as? String == "invoice.paid" && $0["deprecated"] as? Bool == true })
            #expect(try await r.send(.get, "/api/v1/event-types/invoice.paid", token: r.viewerA).status == 200, "still readable one by one")

            let undeprecated = try await r.send(.patch, "/api/v1/event-types/invoice.paid", token: r.root, body: #"{"deprecated": false}"#)
            #expect(undeprecated.data["deprecated"] as? Bool == false)
            let again = try await r.send(.get, "/api/v1/event-types", token: r.viewerA)
            #expect(again.items.contains { $0["type"] as? String == "invoice.paid" })
        }
    }

    @Test func theSeedIsListedWithItsFields() async throws {
        try await Registry.run { r in
            let reply = try await r.send(.get, "/api/v1/event-types", token: r.viewerA)
            #expect(reply.status == 200)
            let failed = reply.items.first { $0["type"] as? String == "job.failed" }
            #expect(failed?["category"] as? String == "job")
            #expect(failed?["schema"] is NSNull)
            #expect(failed?["deprecated"] as? Bool == false)
            #expect(reply.items.contains { $0["type"] as? String == EventCatalogue.testEventType })
            #expect(reply.items.contains { $0["type"] as? String == OperationalEvents.webhookDisabled })
        }
    }

    @Test func onlyAnOperatorWrites() async throws {
        try await Registry.run { r in
            let body = #"{"type": "tenant.own"}"#
            for token in [r.adminA, r.viewerA, r.publisherA] {
                let create = try await r.send(.post, "/api/v1/event-types", token: token, body: body)
                #expect(create.status == 403, "\(create)")
                #expect(create.code == "E_FORBIDDEN")
                #expect(try await r.send(.patch, "/api/v1/event-types/job.failed", token: token, body: #"{"deprecated": true}"#).status == 403)
                #expect(try await r.send(.post, "/api/v1/event-types/job.failed/deprecate", token: token).status == 403)
            }
            #expect(try await r.send(.get, "/api/v1/event-types/tenant.own", token: r.root).status == 404, "nothing was created")
            #expect(try await r.send(.get, "/api/v1/event-types", token: r.publisherA).status == 403, "publishers do not read the registry")
            #expect(try await r.send(.get, "/api/v1/event-types").status == 401)
        }
    }

    @Test func duplicatesAndUnknownTypes() async throws {
        try await Registry.run { r in
            let duplicate = try await r.send(.post, "/api/v1/event-types", token: r.root, body: #"{"type": "job.failed"}"#)
            #expect(duplicate.status == 409, "\(duplicate)")
            #expect(duplicate.code == "E_EVENT_TYPE_EXISTS")
            let missing = try await r.send(.get, "/api/v1/event-types/no.such", token: r.viewerA)
            #expect(missing.status == 404)
            #expect(missing.code == "E_NOT_FOUND")
            #expect(try await r.send(.patch, "/api/v1/event-types/no.such", token: r.root, body: "{}").status == 404)
            #expect(try await r.send(.post, "/api/v1/event-types/no.such/deprecate", token: r.root).status == 404)
        }
    }

    @Test func badBodies() async throws {
        try await Registry.run { r in
            for (body, code) in [
                (#"{"type": "bad type"}"#, "E_INVALID_EVENT_TYPE"), (#"{"type": "a..b"}"#, "E_INVALID_EVENT_TYPE"),
                (#"{"type": "job.*"}"#, "E_INVALID_EVENT_TYPE"), (#"{"description": "x"}"#, "E_MISSING_FIELD"),
                (#"{"type": 5}"#, "E_WRONG_TYPE"), (#"{"type": "a.b", "deprecated": "yes"}"#, "E_WRONG_TYPE"),
                (#"{"type": "a.b", "schema": "object"}"#, "E_WRONG_TYPE"), (#"{"type": "a.b", "colour": 1}"#, "E_UNKNOWN_FIELD"),
                (#"{"type": "a.b", "description": "\u0000"}"#, "E_INVALID_CHARACTER"), ("[1]", "E_INVALID_JSON"), ("{", "E_INVALID_JSON"),
            ] {
                let reply = try await r.send(.post, "/api/v1/event-types", token: r.root, body: body)
                #expect(reply.status == 400, "\(body): \(reply)")
                #expect(reply.code == code, "\(body): \(reply)")
            }
            let renamed = try await r.send(.patch, "/api/v1/event-types/job.failed", token: r.root, body: #"{"type": "job.other"}"#)
            #expect(renamed.status == 400)
        }
    }

    @Test func anInvalidSchemaIs422WithItsPath() async throws {
        try await Registry.run { r in
            let unknown = try await r.send(
                .post, "/api/v1/event-types", token: r.root,
                body: #"{"type": "invoice.sent", "schema": {"properties": {"amount": {"type": "number", "multipleOf": 5}}}}"#)
            #expect(unknown.status == 422, "\(unknown)")
            #expect(unknown.code == "E_SCHEMA_UNKNOWN_KEYWORD")
            let message = unknown.object["message"] as? String ?? ""
            #expect(message.contains("$.properties.amount.multipleOf"), "\(message)")
            #expect(message.contains("'multipleOf'"), "\(message)")
            #expect(try await r.send(.get, "/api/v1/event-types/invoice.sent", token: r.root).status == 404, "nothing stored")

            let pattern = try await r.send(.patch, "/api/v1/event-types/job.failed", token: r.root, body: #"{"schema": {"pattern": "(x"}}"#)
            #expect(pattern.status == 422, "\(pattern)")
            #expect(pattern.code == "E_SCHEMA_INVALID_PATTERN")
            #expect((pattern.object["message"] as? String ?? "").contains("$.pattern"))
            let kept = try await r.send(.get, "/api/v1/event-types/job.failed", token: r.root)
            #expect(kept.data["schema"] is NSNull, "a refused update changes nothing")
        }
    }
}
