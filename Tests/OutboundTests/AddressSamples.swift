import Foundation
import Outbound

#if canImport(Glibc)
    import Glibc
#endif

/// A deterministic set of addresses for checking `AddressPolicy` against a reference:
/// random IPv4 and IPv6 addresses, the first, last and some inner addresses of every
/// special-purpose range (and the addresses just outside it), and the IPv4-mapped,
/// NAT64, IPv4-compatible and 6to4 forms of every IPv4 sample.
enum AddressSamples {
    /// Ranges to sample, listed here rather than taken from `AddressPolicy` so that a
    /// range missing from the policy is still sampled: the IANA IPv4 and IPv6
    /// Special-Purpose Address Registries, multicast, the IETF-reserved IPv6 blocks,
    /// and a few public neighbours.
    static let ranges: [String] = [
        // IPv4 special-purpose registry.
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.0.0/29", "192.0.0.8/32", "192.0.0.9/32",
        "192.0.0.10/32", "192.0.0.170/31", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24",
        "192.88.99.0/24", "192.88.99.2/32", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32",
        // IPv4 multicast.
        "224.0.0.0/4", "224.0.0.0/24", "233.252.0.0/24", "239.0.0.0/8",
        // IPv4 public.
        "1.1.1.0/24", "8.8.8.0/24", "100.0.0.0/10", "198.20.0.0/14",
        // IPv6 special-purpose registry.
        "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
        "100:0:0:1::/64", "2001::/23", "2001::/32", "2001:1::1/128", "2001:1::2/128",
        "2001:1::3/128", "2001:2::/48", "2001:3::/32", "2001:4:112::/48", "2001:10::/28",
        "2001:20::/28", "2001:30::/28", "2001:db8::/32", "2002::/16", "2620:4f:8000::/48",
        "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10",
        // IPv6 deprecated, multicast, reserved by the IETF (outside 2000::/3).
        "::/96", "64:ff9b::/32", "fec0::/10", "ff00::/8", "ff02::/16", "ff0e::/16",
        "::/8", "100::/8", "200::/7", "400::/6", "800::/5", "1000::/4", "4000::/3", "6000::/3",
        "8000::/3", "a000::/3", "c000::/3", "e000::/4", "f000::/5", "f800::/6", "fe00::/9",
        // IPv6 global unicast and public neighbours.
        "2000::/3", "2001:200::/23", "2003::/16", "2606:4700::/32", "2a00:1450::/32",
    ]

    /// Random addresses drawn per range, besides its first and last address and their neighbours.
    static let perRange = 8
    /// Uniformly random IPv4 addresses.
    static let randomIPv4 = 1500
    /// Random IPv6 addresses inside `2000::/3`, and anywhere.
    static let randomGlobalIPv6 = 1500, randomIPv6 = 500

    /// The samples, without duplicates, in the same order on every run.
    static func generate(seed: UInt64 = 0x5EED_AD0E_55E5) -> [IPAddress] {
        var random = SplitMix64(seed: seed)
        var candidates: [IPAddress] = []
        for text in ranges {
            guard let range = CIDR(text) else { preconditionFailure("bad sample range \(text)") }
            candidates += [range.network, range.last]
            candidates += [range.network.predecessor, range.last.successor].compactMap { $0 }
            candidates += (0..<perRange).map { _ in range.randomMember(&random) }
        }
        candidates += (0..<randomIPv4).map { _ in .v4(UInt32(truncatingIfNeeded: random.next())) }
        candidates += (0..<randomGlobalIPv6).map { _ in
            .v6(high: random.next() >> 3 | 0x2000_0000_0000_0000, low: random.next())
        }
        candidates += (0..<randomIPv6).map { _ in .v6(high: random.next(), low: random.next()) }
        let ipv4 = candidates.compactMap { address -> UInt32? in
            if case .v4(let value) = address { return value }
            return nil
        }
        for value in ipv4 {
            let low = UInt64(value)
            candidates.append(.v6(high: 0, low: 0xFFFF_0000_0000 | low))  // ::ffff:a.b.c.d
            candidates.append(.v6(high: 0x0064_FF9B_0000_0000, low: low))  // 64:ff9b::a.b.c.d
            candidates.append(.v6(high: 0, low: low))  // ::a.b.c.d
            candidates.append(
                .v6(
                    high: 0x2002 << 48 | low << 16 | random.next() >> 48,  // 2002:aabb:ccdd:s::i
                    low: random.next()))
        }
        var seen = Set<IPAddress>()
        return candidates.filter { seen.insert($0).inserted }
    }
}

/// SplitMix64: a small seeded generator, so the samples are the same on every run and platform.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension CIDR {
    /// The highest address in the range.
    var last: IPAddress {
        switch network {
        case .v4(let value):
            return .v4(value | (prefixLength == 32 ? 0 : UInt32.max >> prefixLength))
        case .v6(let high, let low):
            let (hostHigh, hostLow) = CIDR.hostMasks(prefixLength)
            return .v6(high: high | hostHigh, low: low | hostLow)
        }
    }

    /// A random address inside the range.
    func randomMember(_ random: inout SplitMix64) -> IPAddress {
        switch network {
        case .v4(let value):
            let host = prefixLength == 32 ? 0 : UInt32.max >> prefixLength
            return .v4(value | UInt32(truncatingIfNeeded: random.next()) & host)
        case .v6(let high, let low):
            let (hostHigh, hostLow) = CIDR.hostMasks(prefixLength)
            return .v6(high: high | random.next() & hostHigh, low: low | random.next() & hostLow)
        }
    }

    /// The host bits of an IPv6 prefix, split into the two 64-bit halves.
    private static func hostMasks(_ prefix: Int) -> (UInt64, UInt64) {
        let high = prefix >= 64 ? 0 : UInt64.max >> prefix
        let low = prefix <= 64 ? UInt64.max : prefix == 128 ? 0 : UInt64.max >> (prefix - 64)
        return (high, low)
    }
}

extension IPAddress {
    /// The next address, or `nil` after the last one of the address family.
    var successor: IPAddress? {
        switch self {
        case .v4(let value):
            return value == .max ? nil : .v4(value + 1)
        case .v6(let high, let low):
            if low != .max { return .v6(high: high, low: low + 1) }
            return high == .max ? nil : .v6(high: high + 1, low: 0)
        }
    }

    /// The previous address, or `nil` before the first one of the address family.
    var predecessor: IPAddress? {
        switch self {
        case .v4(let value):
            return value == 0 ? nil : .v4(value - 1)
        case .v6(let high, let low):
            if low != 0 { return .v6(high: high, low: low - 1) }
            return high == 0 ? nil : .v6(high: high - 1, low: .max)
        }
    }

    /// The IPv4 address an IPv4-mapped (`::ffff:0:0/96`) or NAT64 (`64:ff9b::/96`) address
    /// carries, worked out from the bytes here rather than with `translatedIPv4`, which is under test.
    var deliveredIPv4: IPAddress? {
        let bytes = self.bytes
        guard bytes.count == 16 else { return nil }
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        let nat64: [UInt8] = [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]
        guard [mapped, nat64].contains(Array(bytes[0..<12])) else { return nil }
        return IPAddress(bytes: bytes[12...])
    }
}

/// Python 3's `ipaddress` module as the reference: run once as a subprocess over all samples.
enum PythonAddressOracle {
    /// One reference answer: whether the address is refused, and the address as Python
    /// read it (32 or 128 bits in hex), to catch text the two sides parse differently.
    struct Answer: Equatable {
        var refused: Bool
        var hex: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The reference rule: an IPv4-mapped or NAT64 address is refused when the IPv4 address
    /// it carries is (Python's own `is_global` for mapped addresses differs between
    /// releases), any other address when not `is_global` or multicast. The first output
    /// line is Python's version; then `<0|1> <hex>` per input line.
    static let script = """
        import ipaddress, sys
        NAT64 = ipaddress.ip_network('64:ff9b::/96')
        def refused(a):
            if a.version == 6 and (a.ipv4_mapped is not None or a in NAT64):
                return refused(ipaddress.IPv4Address(int(a) & 0xFFFFFFFF))
            return not a.is_global or a.is_multicast
        print(sys.version.split()[0])
        for line in sys.stdin:
            a = ipaddress.ip_address(line.strip())
            print('%d %x' % (refused(a), int(a)))
        """

    /// Python's version and its answer for each of `addresses`, in order.
    static func answers(for addresses: [IPAddress]) throws -> (version: String, answers: [Answer]) {
        let input = addresses.map { "\($0)\n" }.joined()
        let lines = try runPython(script, input: input).split(separator: "\n").map(String.init)
        guard let version = lines.first, lines.count == addresses.count + 1 else {
            throw Failure(description: "python3 printed \(lines.count) lines for \(addresses.count) addresses")
        }
        let answers = try lines.dropFirst().map { line in
            let fields = line.split(separator: " ")
            guard fields.count == 2, fields[0] == "0" || fields[0] == "1" else {
                throw Failure(description: "unexpected python3 output line: \(line)")
            }
            return Answer(refused: fields[0] == "1", hex: String(fields[1]))
        }
        return (version, answers)
    }

    /// `address` as Python prints `'%x' % int(address)`.
    static func hex(_ address: IPAddress) -> String {
        switch address {
        case .v4(let value): return String(value, radix: 16)
        case .v6(let high, let low):
            guard high != 0 else { return String(low, radix: 16) }
            let lowHex = String(low, radix: 16)
            return String(high, radix: 16) + String(repeating: "0", count: 16 - lowHex.count) + lowHex
        }
    }

    /// Runs `python3 -c script` (found on PATH) with `input` on stdin; returns stdout.
    /// Uses files and posix_spawn/waitpid: no pipes to deadlock, no missed child exit.
    private static func runPython(_ script: String, input: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("address-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inPath = directory.appendingPathComponent("in").path
        let outPath = directory.appendingPathComponent("out").path
        let errPath = directory.appendingPathComponent("err").path
        try Data(input.utf8).write(to: URL(fileURLWithPath: inPath))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let arguments: [String] = ["/usr/bin/env", "python3", "-c", script]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, envp)
        guard rc == 0 else { throw Failure(description: "cannot start python3: error \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw Failure(description: "python3 failed (wait status \(status)): \(stderr)")
        }
        return try String(contentsOfFile: outPath, encoding: .utf8)
    }
}
