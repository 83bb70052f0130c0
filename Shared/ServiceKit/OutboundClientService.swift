import Outbound
import ServiceLifecycle

/// Stops an `OutboundClient`'s thread at graceful shutdown. Add it to the service group before the
/// services that send through the client: the group stops services in reverse order, so the client
/// stops only after they finished their in-flight work.
public struct OutboundClientService: Service {
    let client: OutboundClient

    /// A service owning `client`'s shutdown.
    public init(client: OutboundClient) {
        self.client = client
    }

    /// Waits for graceful shutdown, then shuts the client down.
    public func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}

extension AddressPolicy {
    /// The policy for webhook requests (delivery's sends and the registry's test sends) from
    /// `DELIVERY_ALLOW_PRIVATE_NETWORKS` and the CIDR ranges of `DELIVERY_ALLOWED_NETWORKS`.
    /// - Throws: `ConfigurationError` naming `DELIVERY_ALLOWED_NETWORKS` and its first invalid range.
    public static func configured(allowPrivateNetworks: Bool, allowedNetworks: [String]) throws(ConfigurationError) -> AddressPolicy {
        do throws(InvalidRange) {
            return try AddressPolicy(allowPrivateNetworks: allowPrivateNetworks, allowListStrings: allowedNetworks)
        } catch {
            throw ConfigurationError(name: "DELIVERY_ALLOWED_NETWORKS", problem: "holds an invalid CIDR range '\(error.text)'")
        }
    }
}
