import Logging
import ServiceKit
import Storage
import WebhookCore

/// The event-type catalogue: platform-wide, so every admin and viewer reads it and only an operator
/// (an admin without tenant) changes it.
struct EventTypeService: Sendable {
    let eventTypes: any EventTypeRepository
    let logger: Logger

    func list(includeDeprecated: Bool) async throws -> [EventTypeRecord] {
        try await storeCall { try await eventTypes.list(includeDeprecated: includeDeprecated) }
    }

    /// The entry of `type`; 404 `E_NOT_FOUND` when there is none.
    func get(_ type: String) async throws -> EventTypeRecord {
        guard let record = try await storeCall({ try await eventTypes.find(type: type) }) else { throw Self.notFound(type) }
        return record
    }

    /// Adds an entry; 409 `E_EVENT_TYPE_EXISTS` when the type is in the catalogue already.
    func create(_ input: EventTypeInput, by identity: Identity) async throws -> EventTypeRecord {
        try Self.requireOperator(identity)
        let record = EventTypeRecord(
            type: input.type ?? "", description: input.description ?? "", category: input.category ?? "",
            schema: input.schema ?? nil, deprecated: input.deprecated ?? false)
        let created: EventTypeRecord
        do throws(StorageError) {
            created = try await eventTypes.create(record)
        } catch {
            if case .conflict(let constraint) = error, constraint == StorageConstraint.eventType {
                throw APIError.conflict("E_EVENT_TYPE_EXISTS", "event type '\(record.type)' is already in the catalogue")
            }
            throw APIError.from(error)
        }
        logger.info("event type created", metadata: ["type": "\(created.type)", "by": "\(identity.subject)"])
        return created
    }

    /// Changes an entry; 404 `E_NOT_FOUND` when there is none.
    func update(_ type: String, _ change: EventTypeChange, by identity: Identity) async throws -> EventTypeRecord {
        try Self.requireOperator(identity)
        guard let updated = try await storeCall({ try await eventTypes.update(type: type, change) }) else { throw Self.notFound(type) }
        logger.info("event type updated", metadata: ["type": "\(type)", "by": "\(identity.subject)"])
        return updated
    }

    /// 403 unless `identity` is an admin without tenant.
    static func requireOperator(_ identity: Identity) throws {
        guard identity.role == .admin, identity.tenantId == nil, identity.sessionId == nil else {
            throw APIError.forbidden("the event-type catalogue is platform-wide: only an admin without tenant may change it")
        }
    }

    static func notFound(_ type: String) -> APIError { .notFound("E_NOT_FOUND", "event type '\(type)' is not in the catalogue") }
}
