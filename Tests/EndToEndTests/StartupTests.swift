import Foundation
import TestSupport
import Testing

/// A service missing a required setting stops at start with a message that names it.
@Suite("Start-up")
struct StartupTests {
    @Test(arguments: [
        ("registry", "DATABASE_URL", [String: String]()),
        ("ingest", "AMQP_URL", [:]),
        ("delivery", "DATABASE_URL", [:]),
        ("registry", "JWT_SECRET", ["DATABASE_URL": "postgres://u:p@127.0.0.1:1/db", "JWT_SECRET": "short"]),
        (
            "delivery", "DELIVERY_ALLOW_PRIVATE_NETWORKS",
            ["DATABASE_URL": "postgres://u:p@127.0.0.1:1/db", "AMQP_URL": "amqp://127.0.0.1:1/", "DELIVERY_ALLOW_PRIVATE_NETWORKS": "perhaps"]
        ),
    ])
    func missingSettingIsNamed(service: String, setting: String, given: [String: String]) async throws {
        let env = try TestEnvironment.require()
        let bin = try #require(env.binDirectory)
        var environment = ["DATABASE_URL": "", "AMQP_URL": "", "JWT_SECRET": "", "ADMIN_USERNAME": "", "ADMIN_PASSWORD": ""]
        environment.merge(given) { _, new in new }
        let process = try ServiceProcess(name: service, binDirectory: bin, environment: environment)
        var waited = Duration.zero
        while process.isRunning && waited < .seconds(20) {
            try await Task.sleep(for: .milliseconds(50))
            waited += .milliseconds(50)
        }
        let status = await process.stop()
        #expect(status == 2, "\(process.logTail())")
        #expect(process.logTail().contains(setting), "\(process.logTail())")
    }
}
