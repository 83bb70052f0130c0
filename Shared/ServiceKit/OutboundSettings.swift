import Foundation

/// The settings of webhook requests, read once for both senders: delivery's sends and the
/// registry's test sends go out under the same address guard and timeouts.
public struct OutboundSettings: Sendable, Equatable {
    /// Webhooks may reach private, loopback and link-local addresses (local runs and tests only).
    public var allowPrivateNetworks: Bool
    /// CIDR ranges reachable even with the guard on, e.g. an internal receiver's subnet.
    public var allowedNetworks: [String]
    public var connectTimeoutSeconds: Int
    public var requestTimeoutSeconds: Int
}

extension Environment {
    /// `DELIVERY_ALLOW_PRIVATE_NETWORKS` (false), `DELIVERY_ALLOWED_NETWORKS` (comma-separated CIDR
    /// ranges), `DELIVERY_CONNECT_TIMEOUT` (10 s, 1–120) and `DELIVERY_REQUEST_TIMEOUT` (30 s, 1–300).
    public func outboundSettings() throws -> OutboundSettings {
        OutboundSettings(
            allowPrivateNetworks: try bool("DELIVERY_ALLOW_PRIVATE_NETWORKS", default: false),
            allowedNetworks: (optional("DELIVERY_ALLOWED_NETWORKS") ?? "")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            connectTimeoutSeconds: try int("DELIVERY_CONNECT_TIMEOUT", default: 10, in: 1...120),
            requestTimeoutSeconds: try int("DELIVERY_REQUEST_TIMEOUT", default: 30, in: 1...300))
    }
}
