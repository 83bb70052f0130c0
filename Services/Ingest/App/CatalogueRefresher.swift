import Logging
import ServiceLifecycle
import Storage
import WebhookCore

/// Loads the event-type catalogue from PostgreSQL into an `IngestCatalogue` at start and then every
/// `interval` (strict mode). While PostgreSQL cannot be reached the last catalogue loaded keeps
/// serving; until the first load succeeds it retries every second and `/readyz` says not ready.
struct CatalogueRefresher: Service {
    let catalogue: IngestCatalogue
    let load: @Sendable () async throws -> [IngestCatalogue.Entry]
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var failing = false
        while !Task.isShuttingDownGracefully {
            do {
                let entries = try await load()
                let wasLoaded = catalogue.isLoaded
                let outcome = catalogue.replace(with: entries)
                if !wasLoaded {
                    logger.info("event-type catalogue loaded", metadata: ["types": "\(entries.count)"])
                } else if outcome.compiled > 0 {
                    logger.info("event-type catalogue refreshed", metadata: ["types": "\(entries.count)", "schemas_compiled": "\(outcome.compiled)"])
                }
                if !outcome.unusable.isEmpty {
                    logger.error("event types with a schema that does not compile are refused", metadata: ["types": "\(outcome.unusable)"])
                }
                if failing { logger.info("event-type catalogue reachable again") }
                failing = false
            } catch {
                if !failing {
                    logger.warning(
                        "loading the event-type catalogue failed; the last one loaded keeps serving",
                        metadata: ["error": "\(StorageError.from(error))"])
                }
                failing = true
            }
            let pause = catalogue.isLoaded ? interval : min(interval, .seconds(1))
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }

    /// The loader over a catalogue store: every entry, deprecated ones too (their events are accepted).
    static func loader(_ store: EventTypeStore) -> @Sendable () async throws -> [IngestCatalogue.Entry] {
        {
            try await store.list(includeDeprecated: true).map { IngestCatalogue.Entry(type: $0.type, schema: $0.schema) }
        }
    }
}
