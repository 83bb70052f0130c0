import Patterns
import Synchronization
import WebhookCore

/// The event-type catalogue as strict ingest checks events against it: the types it holds, each
/// with its compiled `data` schema. Replaced whole by `CatalogueRefresher`; read by every request
/// without waiting (a lookup copies the table reference under a lock, then works on its own copy).
public final class IngestCatalogue: Sendable {
    /// One entry as loaded: the type and its schema document (`nil`: any data).
    public struct Entry: Sendable, Equatable {
        public var type: String
        public var schema: JSONValue?

        public init(type: String, schema: JSONValue?) {
            self.type = type
            self.schema = schema
        }
    }

    /// An entry with its schema compiled (`validator` is `nil` for no schema, or when the stored
    /// document does not compile: then `unusable` is set and events of the type are refused).
    struct Compiled: Sendable {
        var document: JSONValue?
        var validator: JSONSchema?
        var unusable: Bool
    }

    /// What the catalogue says of an event.
    public enum Verdict: Sendable, Equatable {
        /// Known type, and `data` conforms to its schema (or it has none).
        case accepted
        /// The type is not in the catalogue.
        case unknownType
        /// `data` breaks the type's schema here.
        case violation(JSONSchemaViolation)
        /// Nothing loaded yet.
        case notLoaded
    }

    private let table = Mutex<[String: Compiled]?>(nil)

    /// An empty catalogue, not loaded until the first `replace`.
    public init() {}

    /// A catalogue loaded with `entries` at once.
    public convenience init(entries: [Entry]) {
        self.init()
        replace(with: entries)
    }

    /// Whether a catalogue has been loaded.
    public var isLoaded: Bool { table.withLock { $0 != nil } }

    /// Replaces the catalogue by `entries`, compiling only the schemas that changed since the last
    /// load (an entry whose document is as before keeps its compiled validator).
    /// - Returns: how many schemas were compiled, and the types whose schema did not compile.
    @discardableResult
    public func replace(with entries: [Entry]) -> (compiled: Int, unusable: [String]) {
        let previous = table.withLock { $0 } ?? [:]
        var next: [String: Compiled] = [:]
        next.reserveCapacity(entries.count)
        var compiled = 0
        var unusable: [String] = []
        for entry in entries {
            if let known = previous[entry.type], known.document == entry.schema {
                next[entry.type] = known
                if known.unusable { unusable.append(entry.type) }
                continue
            }
            guard let document = entry.schema else {
                next[entry.type] = Compiled(document: nil, validator: nil, unusable: false)
                continue
            }
            compiled += 1
            if let validator = try? JSONSchema.compile(document) {
                next[entry.type] = Compiled(document: document, validator: validator, unusable: false)
            } else {
                next[entry.type] = Compiled(document: document, validator: nil, unusable: true)
                unusable.append(entry.type)
            }
        }
        table.withLock { $0 = next }
        return (compiled, unusable)
    }

    /// Checks an event's type and `data` (violations are reported from `$.data`).
    public func check(type: String, data: JSONValue) -> Verdict {
        guard let current = table.withLock({ $0 }) else { return .notLoaded }
        guard let entry = current[type] else { return .unknownType }
        if entry.unusable {
            return .violation(
                JSONSchemaViolation(path: "$.data", message: "the catalogue's schema of '\(type)' cannot be used; an operator must correct it"))
        }
        guard let validator = entry.validator else { return .accepted }
        return validator.validate(data, root: "$.data").map(Verdict.violation) ?? .accepted
    }

    /// The static list the platform documents (`EventCatalogue.all`), without schemas.
    public static var documented: IngestCatalogue {
        IngestCatalogue(entries: EventCatalogue.all.map { Entry(type: $0.type, schema: nil) })
    }
}
