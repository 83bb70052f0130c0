/// Decides which destination addresses outbound connections may use (the SSRF guard).
/// Pure logic: no DNS, no sockets. `OutboundClient` applies it to every address
/// curl is about to connect to, after resolution, so DNS rebinding cannot bypass it.
///
/// By default only globally reachable unicast addresses are permitted. Refused are the
/// ranges the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its
/// updates) mark "Globally Reachable: False", all multicast, and reserved or unallocated
/// space. An IPv4-mapped (`::ffff:0:0/96`) or NAT64 (`64:ff9b::/96`) address is judged
/// by the IPv4 address it is delivered to (`IPAddress.translatedIPv4`).
///
/// The reference is Python's `ipaddress` module with current tables (the fix for
/// CVE-2024-4032): an address is refused exactly when `not is_global`, or it is
/// multicast, or it is the mapped or NAT64 form of a refused IPv4 address, except for
/// these deliberate differences, each refusing more than the reference:
/// - IPv6 outside `2000::/3` is refused unless it is a mapped or NAT64 form. That space is
///   reserved by the IETF, not allocated for unicast (RFC 4291, IANA IPv6 Address Space);
///   Python's `is_global` ignores its own `is_reserved`. This covers IPv4-compatible
///   `::/96` (deprecated by RFC 4291), `64:ff9b::/32` outside the `/96` (including the
///   local-use `64:ff9b:1::/48`), `100::/8` outside `100::/64`, and `5f00::/16` (SRv6 SIDs,
///   RFC 9602, not globally reachable).
/// - `fec0::/10`, site-local unicast: deprecated by RFC 3879 and never globally routed.
/// - `3fff::/20`, documentation (RFC 9637): newer than Python's table.
/// - `192.88.99.0/24`, the deprecated 6to4 relay anycast prefix (RFC 7526).
///
/// 6to4 (`2002::/16`) is refused as a whole, whatever IPv4 address it embeds, as the
/// reference does (the registry says "N/A"): a 6to4 address names a host behind a tunnel
/// endpoint, not the embedded IPv4 host. Teredo (`2001::/32`) is refused with `2001::/23`.
/// Inside `2001::/23` exactly the reference's globally reachable exceptions are permitted;
/// later registry additions there (`2001:1::3/128`, RFC 9665) stay refused.
///
/// Python releases without the CVE-2024-4032 fix (such as 3.11.7) use older tables; against
/// them the policy also differs by following the current registry: all of `192.0.0.0/24`
/// but `192.0.0.9` and `192.0.0.10` refused (not only `/29`), `2002::/16` refused, and the
/// globally reachable exceptions inside `2001::/23` permitted.
public struct AddressPolicy: Sendable {
    /// When true every address is permitted (for trusted, internal-only deployments and tests).
    public var allowPrivateNetworks: Bool
    /// Ranges permitted even when they are private/reserved.
    public var allowList: [CIDR]

    /// Creates a policy. The default refuses every address that is not globally
    /// reachable unicast (private, loopback, link-local, documentation, multicast,
    /// reserved, ...).
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

    /// True when a connection to `address` is allowed: the allow list is consulted first,
    /// matched against the address and against any IPv4 address it embeds (mapped,
    /// compatible, NAT64, 6to4), so allow-listing an IPv4 range also opens its IPv6 forms.
    public func permits(_ address: IPAddress) -> Bool {
        if allowPrivateNetworks { return true }
        let embedded = address.embeddedIPv4
        for range in allowList {
            if range.contains(address) { return true }
            if let embedded, range.contains(embedded) { return true }
        }
        return !AddressPolicy.isRestricted(address)
    }

    /// True for addresses refused unless allow-listed: those that are not globally
    /// reachable unicast (see the type's documentation for the exact rule).
    public static func isRestricted(_ address: IPAddress) -> Bool {
        if let translated = address.translatedIPv4 { return isRestricted(translated) }
        if address.isIPv4 {
            return contains(restrictedIPv4, address) && !contains(globallyReachableIPv4, address)
        }
        guard globalUnicastIPv6.contains(address) else { return true }
        return contains(restrictedIPv6, address) && !contains(globallyReachableIPv6, address)
    }

    /// IPv4 ranges refused by default.
    public static let restrictedIPv4: [CIDR] = ranges([
        "0.0.0.0/8",  // "this" network
        "10.0.0.0/8",  // RFC 1918
        "100.64.0.0/10",  // shared address space (carrier-grade NAT)
        "127.0.0.0/8",  // loopback
        "169.254.0.0/16",  // link-local (cloud metadata endpoints)
        "172.16.0.0/12",  // RFC 1918
        "192.0.0.0/24",  // IETF protocol assignments (but see globallyReachableIPv4)
        "192.0.2.0/24",  // documentation, TEST-NET-1
        "192.88.99.0/24",  // 6to4 relay anycast, deprecated
        "192.168.0.0/16",  // RFC 1918
        "198.18.0.0/15",  // benchmarking
        "198.51.100.0/24",  // documentation, TEST-NET-2
        "203.0.113.0/24",  // documentation, TEST-NET-3
        "224.0.0.0/4",  // multicast
        "240.0.0.0/4",  // reserved
        "255.255.255.255/32",  // limited broadcast (inside 240/4; listed for clarity)
    ])

    /// Globally reachable addresses inside `restrictedIPv4`, permitted by default.
    public static let globallyReachableIPv4: [CIDR] = ranges([
        "192.0.0.9/32",  // Port Control Protocol anycast
        "192.0.0.10/32",  // TURN anycast
    ])

    /// The only IPv6 block allocated for global unicast; everything outside it is refused
    /// unless it is an IPv4-mapped or NAT64 form of a permitted IPv4 address.
    public static let globalUnicastIPv6: CIDR = ranges(["2000::/3"])[0]

    /// IPv6 ranges refused by default (mapped and NAT64 forms are judged by their IPv4
    /// address). Entries outside `globalUnicastIPv6` are refused by that rule anyway and
    /// are listed so that the table names each registry entry.
    public static let restrictedIPv6: [CIDR] = ranges([
        "::/128",  // unspecified
        "::1/128",  // loopback
        "::/96",  // IPv4-compatible, deprecated
        "64:ff9b:1::/48",  // local-use NAT64 (RFC 8215), embedding not fixed
        "100::/64",  // discard-only
        "2001::/23",  // IETF protocol assignments, Teredo 2001::/32 (but see globallyReachableIPv6)
        "2001:db8::/32",  // documentation
        "2002::/16",  // 6to4
        "3fff::/20",  // documentation
        "5f00::/16",  // segment routing SIDs
        "fc00::/7",  // unique local
        "fe80::/10",  // link-local
        "fec0::/10",  // site-local, deprecated
        "ff00::/8",  // multicast
    ])

    /// Globally reachable ranges inside `restrictedIPv6`, permitted by default.
    public static let globallyReachableIPv6: [CIDR] = ranges([
        "2001:1::1/128",  // Port Control Protocol anycast
        "2001:1::2/128",  // TURN anycast
        "2001:3::/32",  // AMT
        "2001:4:112::/48",  // AS112-v6
        "2001:20::/28",  // ORCHIDv2
        "2001:30::/28",  // drone remote ID
    ])

    private static func contains(_ table: [CIDR], _ address: IPAddress) -> Bool {
        table.contains { $0.contains(address) }
    }

    /// Parses the built-in range tables (constant, known-valid text).
    private static func ranges(_ texts: [String]) -> [CIDR] {
        texts.map { text in
            guard let range = CIDR(text) else { preconditionFailure("invalid built-in range \(text)") }
            return range
        }
    }
}
