/// An address range in CIDR notation, e.g. `10.1.0.0/16` or `::1/128`. Pure value.
public struct CIDR: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// The network address (host bits cleared).
    public let network: IPAddress
    /// Number of leading bits that must match: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int

    /// Creates a range; host bits of `address` are cleared. `nil` if the prefix is out of range.
    public init?(address: IPAddress, prefixLength: Int) {
        let width = address.isIPv4 ? 32 : 128
        guard (0...width).contains(prefixLength) else { return nil }
        self.prefixLength = prefixLength
        self.network = CIDR.mask(address, prefixLength)
    }

    /// Parses `"address/prefix"`; a bare address means a single host (/32 or /128).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        var prefix = address.isIPv4 ? 32 : 128
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].count <= 3,
                parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let parsed = Int(parts[1])
            else { return nil }
            prefix = parsed
        }
        self.init(address: address, prefixLength: prefix)
    }

    /// `"network/prefix"`.
    public var description: String { "\(network)/\(prefixLength)" }

    /// True when `address` is inside this range. IPv4 ranges never match IPv6
    /// addresses directly (`AddressPolicy` unwraps embedded IPv4 itself).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.isIPv4 == network.isIPv4 else { return false }
        return CIDR.mask(address, prefixLength) == network
    }

    private static func mask(_ address: IPAddress, _ prefix: Int) -> IPAddress {
        switch address {
        case .v4(let value):
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
            return .v4(value & mask)
        case .v6(let high, let low):
            let highBits = min(prefix, 64), lowBits = max(prefix - 64, 0)
            let highMask: UInt64 = highBits == 0 ? 0 : ~UInt64(0) << (64 - highBits)
            let lowMask: UInt64 = lowBits == 0 ? 0 : ~UInt64(0) << (64 - lowBits)
            return .v6(high: high & highMask, low: low & lowMask)
        }
    }
}
