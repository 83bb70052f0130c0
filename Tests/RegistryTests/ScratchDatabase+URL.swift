import Foundation
import Logging
import TestSupport

extension ScratchDatabase {
    /// Creates an empty database, runs `body` with its URL (a registry built on it migrates it),
    /// then drops it.
    static func withURL(_ body: @Sendable (String) async throws -> Void) async throws {
        let env = try TestEnvironment.require()
        let name = "scratch_" + UUID().uuidString.prefix(8).lowercased()
        _ = try await Fixtures.withDatabase { admin in
            try await admin.query("CREATE DATABASE \(unescaped: name)", logger: Logger(label: "test"))
        }
        var url = URLComponents(string: env.databaseURL)!
        url.path = "/" + name
        @Sendable func drop() async throws {
            _ = try await Fixtures.withDatabase { admin in
                try await admin.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: Logger(label: "test"))
            }
        }
        do {
            try await body(url.string!)
        } catch {
            try? await drop()
            throw error
        }
        try await drop()
    }
}
