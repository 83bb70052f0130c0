import Outbound
import ServiceLifecycle

/// Stops the outbound client's thread at shutdown, after the consumer finished its in-flight work.
struct OutboundClientService: Service {
    let client: OutboundClient

    func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
