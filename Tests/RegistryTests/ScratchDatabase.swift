import Foundation
import Logging
import PostgresNIO
import TestSupport

@testable import Storage

/// A database of a test's own, migrated, dropped afterwards: for tests that change the schema or
/// delete rows by age, which no other test may see.
enum ScratchDatabase {
    /// Creates the database, runs `body` with it connected and migrated (up to `version` when
    /// given: tests of a migration start before it), then drops it.
    static func with(batchConnections: Int = 0, migratedUpTo version: Int? = nil, _ body: @Sendable (Database, Logger) async throws -> Void) async throws {
        let env = try TestEnvironment.require()
        let name = "scratch_" + UUID().uuidString.prefix(8).lowercased()
        _ = try await Fixtures.withDatabase { admin in
            try await admin.query("CREATE DATABASE \(unescaped: name)", logger: Logger(label: "test"))
        }
        var url = URLComponents(string: env.databaseURL)!
        url.path = "/" + name
        var logger = Logger(label: "scratch-database")
        logger.logLevel = .error
        let database = try Database(url: url.string!, logger: logger, maximumConnections: 2, batchConnections: batchConnections)

        @Sendable func drop() async throws {
            _ = try await Fixtures.withDatabase { admin in
                try await admin.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: Logger(label: "test"))
            }
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in database.clients { group.addTask { await client.run() } }
                defer { group.cancelAll() }
                if let version {
                    try await Migrator.migrate(database.client, logger: logger, upTo: version)
                } else {
                    try await database.migrate(timeout: .seconds(30))
                }
                try await body(database, logger)
            }
        } catch {
            try? await drop()
            throw error
        }
        try await drop()
    }
}
