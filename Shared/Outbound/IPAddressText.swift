// Parsing and formatting of IPAddress. Pure string logic, no libc.

extension IPAddress: CustomStringConvertible, LosslessStringConvertible {
    /// Parses dotted-quad IPv4 (`"10.0.0.1"`, no leading zeros) or IPv6 text
    /// (`"::1"`, `"fe80::1"`, `"::ffff:127.0.0.1"`). Brackets and zone ids are rejected.
    public init?(_ text: String) {
        if let v4 = Self.parseIPv4(Substring(text)) {
            self = .v4(v4)
        } else if let v6 = Self.parseIPv6(Substring(text)) {
            self = v6
        } else {
            return nil
        }
    }

    /// Canonical text: dotted quad, or RFC 5952 IPv6 (`::ffff:a.b.c.d` for mapped).
    public var description: String {
        switch self {
        case .v4(let value):
            return Self.formatIPv4(value)
        case .v6(let high, let low):
            if high == 0 && low >> 32 == 0x0000_FFFF {
                return "::ffff:" + Self.formatIPv4(UInt32(truncatingIfNeeded: low))
            }
            let groups = (0..<8).map { index -> UInt16 in
                let half = index < 4 ? high : low
                return UInt16(truncatingIfNeeded: half >> (48 - 16 * UInt64(index % 4)))
            }
            return Self.formatIPv6(groups)
        }
    }

    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count),
                part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part.count == 1 || part.first != "0",
                let octet = UInt8(part)
            else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    static func parseIPv6(_ text: Substring) -> IPAddress? {
        guard text.contains(":") else { return nil }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        guard let head = parseGroups(halves[0], allowTrailingIPv4: halves.count == 1) else { return nil }
        var groups = head
        if halves.count == 2 {
            guard let tail = parseGroups(halves[1], allowTrailingIPv4: true) else { return nil }
            guard head.count + tail.count <= 7 else { return nil }
            groups += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard groups.count == 8 else { return nil }
        let bytes = groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        return IPAddress(bytes: bytes)
    }

    /// Colon-separated hex groups; an empty string is zero groups. The last
    /// element may be a dotted IPv4 address (two groups) when allowed.
    private static func parseGroups(_ text: Substring, allowTrailingIPv4: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, allowTrailingIPv4, part.contains(".") {
                guard let v4 = parseIPv4(part) else { return nil }
                groups += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
            } else {
                guard (1...4).contains(part.count),
                    part.allSatisfy({ $0.isASCII && $0.isHexDigit }),
                    let group = UInt16(part, radix: 16)
                else { return nil }
                groups.append(group)
            }
        }
        return groups
    }

    private static func formatIPv4(_ value: UInt32) -> String {
        (0..<4).map { String(UInt8(truncatingIfNeeded: value >> (24 - 8 * $0))) }.joined(separator: ".")
    }

    /// RFC 5952: lowercase, no leading zeros, longest run (>= 2) of zero groups as `::`.
    private static func formatIPv6(_ groups: [UInt16]) -> String {
        var bestStart = -1, bestLength = 0, index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < 8 && groups[index] == 0 { index += 1 }
            if index - start > bestLength {
                bestStart = start
                bestLength = index - start
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
