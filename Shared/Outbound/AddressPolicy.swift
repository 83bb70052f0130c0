/// Decides which destination addresses outbound connections may use (the SSRF guard).
/// Pure logic: no DNS, no sockets. `OutboundClient` applies it to every address
/// curl is about to connect to, after resolution, so DNS rebinding cannot bypass it.
public struct AddressPolicy: Sendable {
    /// When true every address is permitted (for trusted, internal-only deployments and tests).
    public var allowPrivateNetworks: Bool
    /// Ranges permitted even when they are private/reserved.
    public var allowList: [CIDR]

    /// Creates a policy. The default refuses private, loopback, link-local,
    /// multicast and reserved ranges.
    public init(allowPrivateNetworks: Bool = false, allowList: [CIDR] = []) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.allowList = allowList
    }

    /// Creates a policy from CIDR strings such as `"10.1.0.0/16"` or `"::1/128"`
    /// (e.g. from configuration). Throws `InvalidRange` naming the first bad entry.
    public init(allowPrivateNetworks: Bool = false, allowListStrings: [String]) throws(InvalidRange) {
        var ranges: [CIDR] = []
        for text in allowListStrings {
            guard let range = CIDR(text) else { throw InvalidRange(text: text) }
            ranges.append(range)
        }
        self.init(allowPrivateNetworks: allowPrivateNetworks, allowList: ranges)
    }

    /// An allow-list entry that is not valid CIDR notation.
    public struct InvalidRange: Error, Sendable, Equatable {
        /// The offending entry.
        public var text: String

        /// Creates the error for `text`.
        public init(text: String) { self.text = text }
    }

    /// True when a connection to `address` is allowed. An IPv6 address that
    /// embeds an IPv4 address (mapped, compatible, NAT64, 6to4) is judged by
    /// the embedded IPv4 address; the allow list is matched against both.
    public func permits(_ address: IPAddress) -> Bool {
        if allowPrivateNetworks { return true }
        let embedded = address.embeddedIPv4
        for range in allowList {
            if range.contains(address) { return true }
            if let embedded, range.contains(embedded) { return true }
        }
        return !AddressPolicy.isRestricted(address)
    }

    /// True for addresses in a private, loopback, link-local, shared, multicast or
    /// reserved range (the ranges refused unless allow-listed).
    public static func isRestricted(_ address: IPAddress) -> Bool {
        if let embedded = address.embeddedIPv4, isRestricted(embedded) { return true }
        let ranges = address.isIPv4 ? restrictedIPv4 : restrictedIPv6
        return ranges.contains { $0.contains(address) }
    }

    /// IPv4 ranges refused by default.
    public static let restrictedIPv4: [CIDR] = ranges([
        "0.0.0.0/8",          // "this" network
        "10.0.0.0/8",         // RFC 1918
        "100.64.0.0/10",      // carrier-grade NAT
        "127.0.0.0/8",        // loopback
        "169.254.0.0/16",     // link-local (cloud metadata endpoints)
        "172.16.0.0/12",      // RFC 1918
        "192.0.0.0/24",       // IETF protocol assignments
        "192.168.0.0/16",     // RFC 1918
        "198.18.0.0/15",      // benchmarking
        "224.0.0.0/4",        // multicast
        "240.0.0.0/4",        // reserved
        "255.255.255.255/32", // broadcast (inside 240/4; listed for clarity)
    ])

    /// IPv6 ranges refused by default (embedded IPv4 is checked separately).
    public static let restrictedIPv6: [CIDR] = ranges([
        "::/128",             // unspecified
        "::1/128",            // loopback
        "fc00::/7",           // unique local
        "fe80::/10",          // link-local
        "ff00::/8",           // multicast
        "64:ff9b:1::/48",     // local-use NAT64 (RFC 8215), embedding not fixed
    ])

    /// Parses the built-in range tables (constant, known-valid text).
    private static func ranges(_ texts: [String]) -> [CIDR] {
        texts.map { text in
            guard let range = CIDR(text) else { preconditionFailure("invalid built-in range \(text)") }
            return range
        }
    }
}
