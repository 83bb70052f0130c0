import Outbound
import ServiceLifecycle

/// Stops the test endpoint's outbound client at shutdown, after the HTTP server finished.
struct OutboundService: Service {
    let client: OutboundClient

    func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
