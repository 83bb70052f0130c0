import Foundation
import Logging
import Synchronization
import Testing
import WebhookCore

@testable import IngestApp

/// The refresher: the first load makes the catalogue ready, later loads replace it, and a failing
/// load (PostgreSQL away) leaves the last catalogue serving.
@Suite("Catalogue refresher")
struct CatalogueRefresherTests {
    /// A loader answering from `results` in turn (the last one repeats), counting its calls.
    final class ScriptedLoader: Sendable {
        private let state: Mutex<(calls: Int, results: [Result<[IngestCatalogue.Entry], StubError>])>

        struct StubError: Error {}

        init(_ results: [Result<[IngestCatalogue.Entry], StubError>]) {
            state = Mutex((0, results))
        }

        var calls: Int { state.withLock { $0.calls } }

        func load() throws -> [IngestCatalogue.Entry] {
            let result = state.withLock { state -> Result<[IngestCatalogue.Entry], StubError> in
                state.calls += 1
                return state.results.count > 1 ? state.results.removeFirst() : state.results[0]
            }
            return try result.get()
        }
    }

    @Test func aFailingLoadKeepsTheLastCatalogue() async throws {
        let first: [IngestCatalogue.Entry] = [.init(type: "job.failed", schema: nil)]
        let second: [IngestCatalogue.Entry] = first + [.init(type: "job.started", schema: nil)]
        let loader = ScriptedLoader([.failure(.init()), .success(first), .success(second), .failure(.init())])
        let catalogue = IngestCatalogue()
        var logger = Logger(label: "refresher-test")
        logger.logLevel = .critical
        let refresher = CatalogueRefresher(catalogue: catalogue, load: { try loader.load() }, interval: .milliseconds(50), logger: logger)
        #expect(!catalogue.isLoaded)
        let task = Task { try await refresher.run() }
        defer { task.cancel() }
        // The first load failed: retried (after a second at most) until it succeeds.
        let deadline = ContinuousClock.now + .seconds(10)
        while loader.calls < 5 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(loader.calls >= 5, "it keeps reloading")
        #expect(catalogue.isLoaded)
        #expect(catalogue.check(type: "job.started", data: .null) == .accepted, "the last successful load serves while loads fail")
        #expect(catalogue.check(type: "made.up", data: .null) == .unknownType)
    }
}
