/// An IPv4 or IPv6 address as a plain value (no zone/scope id). Pure: no I/O.
public enum IPAddress: Sendable, Hashable {
    /// IPv4; `a.b.c.d` is stored as `a << 24 | b << 16 | c << 8 | d`.
    case v4(UInt32)
    /// IPv6; the 16 bytes in network order split into two big-endian halves.
    case v6(high: UInt64, low: UInt64)

    /// Builds an address from 4 (IPv4) or 16 (IPv6) network-order bytes.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4:
            self = .v4(bytes.reduce(0) { $0 << 8 | UInt32($1) })
        case 16:
            let all = Array(bytes)
            let high = all[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = all[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self = .v6(high: high, low: low)
        default:
            return nil
        }
    }

    /// The address in network byte order: 4 or 16 bytes.
    public var bytes: [UInt8] {
        switch self {
        case .v4(let value):
            return (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
        case .v6(let high, let low):
            let hi = (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            let lo = (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
            return hi + lo
        }
    }

    /// True for IPv4 addresses.
    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// The IPv4 address an IPv6 address embeds in one of the well-known ways:
    /// IPv4-mapped `::ffff:0:0/96`, IPv4-compatible `::/96` (deprecated),
    /// NAT64 `64:ff9b::/96`, and 6to4 `2002::/16` (address in bits 16–47).
    /// `nil` otherwise and for IPv4. Only the mapped and NAT64 forms reach that
    /// IPv4 host itself; see `translatedIPv4`.
    public var embeddedIPv4: IPAddress? {
        if let translated = translatedIPv4 { return translated }
        guard case .v6(let high, let low) = self else { return nil }
        if high == 0 && low >> 32 == 0 { return .v4(UInt32(truncatingIfNeeded: low)) }  // ::a.b.c.d
        if high >> 48 == 0x2002 {  // 2002:aabb:ccdd::
            return .v4(UInt32(truncatingIfNeeded: high >> 16))
        }
        return nil
    }

    /// The IPv4 host that a connection to this IPv6 address is delivered to:
    /// IPv4-mapped `::ffff:a.b.c.d` (a dual-stack socket connects over IPv4) and
    /// NAT64 well-known prefix `64:ff9b::a.b.c.d` (RFC 6052; the translator forwards
    /// to the embedded address). `nil` for every other address, including the
    /// IPv4-compatible and 6to4 forms, whose embedded IPv4 address is at most a
    /// tunnel endpoint, not the destination.
    public var translatedIPv4: IPAddress? {
        guard case .v6(let high, let low) = self else { return nil }
        let mapped = high == 0 && low >> 32 == 0x0000_FFFF  // ::ffff:a.b.c.d
        let nat64 = high == 0x0064_FF9B_0000_0000 && low >> 32 == 0  // 64:ff9b::a.b.c.d
        return mapped || nat64 ? .v4(UInt32(truncatingIfNeeded: low)) : nil
    }
}
