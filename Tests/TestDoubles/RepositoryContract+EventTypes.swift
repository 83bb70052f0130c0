import Foundation
import Storage
import WebhookCore

extension RepositoryContract {
    /// The event-type catalogue: seeded with the documented types, create (a second time: a
    /// conflict on `StorageConstraint.eventType`), find, partial updates (a schema cleared by
    /// `.some(nil)`), deprecated entries listed only when asked for.
    /// - Parameters:
    ///   - eventTypes: the implementation.
    ///   - prefix: a prefix no type of the catalogue has yet.
    public static func eventTypes(_ eventTypes: any EventTypeRepository, prefix: String) async throws -> [String] {
        var problems: [String] = []
        func expect(_ condition: Bool, _ problem: String) { if !condition { problems.append(problem) } }
        let seeded = Set(try await eventTypes.list(includeDeprecated: true).map(\.type))
        expect(seeded.isSuperset(of: EventCatalogue.all.map(\.type)), "the documented types are seeded")
        let schema = JSONValue.object([("type", .string("object")), ("required", .array([.string("id")]))])
        let type = prefix + ".created"
        let created = try await eventTypes.create(
            EventTypeRecord(type: type, description: "made", category: "contract", schema: schema, deprecated: false))
        expect(created.type == type && created.schema == schema && created.category == "contract", "create answers what was stored")
        expect(try await eventTypes.find(type: type) == created, "find answers what was stored")
        expect(try await eventTypes.find(type: prefix + ".none") == nil, "an unknown type is not found")
        do throws(StorageError) {
            _ = try await eventTypes.create(EventTypeRecord(type: type, description: "", category: "", schema: nil, deprecated: false))
            problems.append("a type was created twice")
        } catch {
            if case .conflict(let constraint) = error {
                expect(constraint == StorageConstraint.eventType, "a duplicate type names the catalogue's key, not \(constraint)")
            } else {
                problems.append("a duplicate type failed with \(error)")
            }
        }
        let deprecated = try await eventTypes.update(type: type, EventTypeChange(deprecated: true))
        expect(deprecated?.deprecated == true && deprecated?.schema == schema && deprecated?.description == "made", "an update keeps what it does not change")
        expect(deprecated.map { $0.updatedAt >= created.updatedAt } == true, "an update moves updated_at on")
        expect(try await !eventTypes.list(includeDeprecated: false).contains { $0.type == type }, "deprecated entries are not listed by default")
        expect(try await eventTypes.list(includeDeprecated: true).contains { $0.type == type }, "deprecated entries are listed when asked for")
        let cleared = try await eventTypes.update(type: type, EventTypeChange(category: "other", schema: .some(nil), deprecated: false))
        expect(cleared?.schema == nil && cleared?.category == "other" && cleared?.deprecated == false, "a schema is cleared by null")
        expect(try await eventTypes.update(type: prefix + ".none", EventTypeChange(description: "x")) == nil, "updating an unknown type finds nothing")
        return problems
    }
}
