import Testing

@testable import Outbound

/// `AddressPolicy()` against an independent reference, Python's `ipaddress` module: with no
/// allow list an address must be refused exactly when Python says `not is_global`, or it is
/// multicast, or it is the IPv4-mapped or NAT64 form of a refused IPv4 address (see
/// `PythonAddressOracle.script`), apart from the deliberate `deviations` below.
@Suite struct AddressPolicyOracleTests {
    /// Where the policy deliberately answers differently from the reference, with why.
    /// Inside these ranges the policy must give the listed answer and Python is not
    /// consulted; an IPv4 range also covers the mapped and NAT64 forms of its addresses.
    /// The same list is in the documentation of `AddressPolicy`.
    static let deviations: [Deviation] = [
        Deviation(
            refused: [
                "::/8", "100::/8", "200::/7", "400::/6", "800::/5", "1000::/4", "4000::/3",
                "6000::/3", "8000::/3", "a000::/3", "c000::/3", "e000::/4", "f000::/5",
                "f800::/6", "fe00::/9",
            ],
            reason: "IPv6 outside 2000::/3 (these are Python's own is_reserved blocks) is IETF-reserved, "
                + "not allocated for unicast; Python's is_global ignores is_reserved. Covers IPv4-compatible "
                + "::/96, 64:ff9b::/32 outside the NAT64 /96 (64:ff9b:1::/48 too), 100::/8 outside "
                + "100::/64, 5f00::/16 (SRv6 SIDs)"),
        Deviation(refused: ["fec0::/10"], reason: "site-local, deprecated by RFC 3879, never globally routed"),
        Deviation(refused: ["3fff::/20"], reason: "documentation (RFC 9637), newer than Python's table"),
        Deviation(refused: ["192.88.99.0/24"], reason: "deprecated 6to4 relay anycast (RFC 7526)"),
        // Python releases without the CVE-2024-4032 fix (e.g. 3.11.7) have older tables;
        // the policy follows the current registry, as fixed releases (e.g. 3.13) do.
        Deviation(
            refused: ["2002::/16"],
            reason: "6to4, refused whatever IPv4 address it embeds (older Python tables call it global)"),
        Deviation(
            refused: ["192.0.0.0/24"], except: ["192.0.0.9/32", "192.0.0.10/32"],
            reason: "IETF protocol assignments (older Python tables refuse only 192.0.0.0/29 and .170/31)"),
        Deviation(
            permitted: [
                "2001:1::1/128", "2001:1::2/128", "2001:3::/32", "2001:4:112::/48",
                "2001:20::/28", "2001:30::/28",
            ],
            reason: "globally reachable per the registry (older Python tables refuse all of 2001::/23)"),
    ]

    @Test func agreesWithPythonIpaddress() throws {
        let samples = AddressSamples.generate()
        #expect(samples.count > 10_000)
        let (version, answers) = try PythonAddressOracle.answers(for: samples)
        let policy = AddressPolicy()
        var mismatches: [String] = []
        for (address, answer) in zip(samples, answers) {
            let hex = PythonAddressOracle.hex(address)
            guard answer.hex == hex else {
                mismatches.append("\(address): python read it as \(answer.hex), not \(hex)")
                continue
            }
            let deviation = Self.deviations.first { $0.covers(address) }
            let expected = deviation?.permitted ?? !answer.refused
            guard policy.permits(address) != expected else { continue }
            let why =
                deviation.map { "deviation: \($0.reason)" }
                ?? "python \(version) says \(answer.refused ? "not global" : "global")"
            mismatches.append(
                "\(address): policy \(expected ? "refuses" : "permits") it, expected "
                    + "\(expected ? "permitted" : "refused") (\(why))")
        }
        for mismatch in mismatches.prefix(50) {
            Issue.record(Comment(rawValue: mismatch))
        }
        let disagreeing = mismatches.count
        #expect(disagreeing == 0, "\(disagreeing) of \(samples.count) addresses disagree with python \(version)")
    }

    /// Every deviation is exercised by some sample (none is dead weight or mistyped).
    @Test func everyDeviationIsSampled() {
        let samples = AddressSamples.generate()
        for deviation in Self.deviations {
            #expect(samples.contains { deviation.covers($0) }, "\(deviation.reason)")
        }
    }

    @Test func samplesAreDeterministic() {
        #expect(AddressSamples.generate() == AddressSamples.generate())
    }

    /// The operator stays in charge: an open policy, or an allow list of everything, permits every sample.
    @Test func openPoliciesPermitEverySample() throws {
        let open = AddressPolicy(allowPrivateNetworks: true)
        let everything = try AddressPolicy(allowListStrings: ["0.0.0.0/0", "::/0"])
        for address in AddressSamples.generate() {
            #expect(open.permits(address), "\(address)")
            #expect(everything.permits(address), "\(address)")
        }
    }
}

/// A range where the policy deliberately differs from the Python reference, and its answer there.
struct Deviation: Sendable {
    var ranges: [CIDR]
    var excluded: [CIDR]
    var permitted: Bool
    var reason: String

    init(refused: [String], except: [String] = [], reason: String) {
        self.init(ranges: refused, excluded: except, permitted: false, reason: reason)
    }

    init(permitted: [String], reason: String) {
        self.init(ranges: permitted, excluded: [], permitted: true, reason: reason)
    }

    private init(ranges: [String], excluded: [String], permitted: Bool, reason: String) {
        self.ranges = ranges.map { CIDR($0)! }
        self.excluded = excluded.map { CIDR($0)! }
        self.permitted = permitted
        self.reason = reason
    }

    /// True when `address`, or the IPv4 address a mapped or NAT64 address is delivered to, is in range.
    func covers(_ address: IPAddress) -> Bool {
        let subject = address.deliveredIPv4 ?? address
        return ranges.contains { $0.contains(subject) } && !excluded.contains { $0.contains(subject) }
    }
}
