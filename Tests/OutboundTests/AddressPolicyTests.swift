import Testing

@testable import Outbound

@Suite struct AddressPolicyTests {
    let strict = AddressPolicy()

    /// First and last address of every range refused by default.
    @Test(arguments: [
        ("0.0.0.0", "0.255.255.255"), ("10.0.0.0", "10.255.255.255"),
        ("100.64.0.0", "100.127.255.255"), ("127.0.0.0", "127.255.255.255"),
        ("169.254.0.0", "169.254.255.255"), ("172.16.0.0", "172.31.255.255"),
        ("192.0.0.0", "192.0.0.255"), ("192.0.0.8", "192.0.0.11"), ("192.0.2.0", "192.0.2.255"),
        ("192.88.99.0", "192.88.99.255"), ("192.168.0.0", "192.168.255.255"),
        ("198.18.0.0", "198.19.255.255"), ("198.51.100.0", "198.51.100.255"),
        ("203.0.113.0", "203.0.113.255"), ("224.0.0.0", "239.255.255.255"),
        ("240.0.0.0", "255.255.255.254"), ("255.255.255.255", "255.255.255.255"),
        ("::", "::"), ("::1", "::1"), ("::0.0.0.2", "::255.255.255.255"),
        ("64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff"),
        ("100::", "100::ffff:ffff:ffff:ffff"),
        ("2001::", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("2002::", "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("5f00::", "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        // Reserved by the IETF: everything outside 2000::/3 that is not listed above.
        ("::2:0:0", "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), ("4000::", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("fe00::", "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
    ])
    func refusesRestrictedRanges(first: String, last: String) throws {
        #expect(!strict.permits(try #require(IPAddress(first))))
        #expect(!strict.permits(try #require(IPAddress(last))))
    }

    /// Neighbours just outside the refused ranges, globally reachable addresses inside
    /// them, and ordinary public addresses.
    @Test(arguments: [
        "1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0",
        "172.15.255.255", "172.32.0.0", "192.0.1.0", "191.255.255.255", "192.0.3.0",
        "192.88.98.255", "192.88.100.0", "192.167.255.255", "192.169.0.0", "198.17.255.255",
        "198.20.0.0", "198.51.99.255", "198.51.101.0", "203.0.112.255", "203.0.114.0",
        "223.255.255.255", "8.8.8.8", "93.184.216.34", "192.0.0.9", "192.0.0.10",
        "2000::", "2001:200::", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::",
        "2001:1::1", "2001:1::2", "2001:3::1", "2001:4:112::1", "2001:20::1", "2001:3f:ffff::1",
        "2003::1", "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "3fff:1000::",
        "2606:4700:4700::1111", "2620:4f:8000::1",
    ])
    func permitsPublicAddresses(text: String) throws {
        #expect(strict.permits(try #require(IPAddress(text))))
    }

    @Test(arguments: [
        "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::ffff:0.0.0.0",
        "::ffff:192.0.2.1", "::ffff:224.0.0.1", "::ffff:100.64.0.1",
        "64:ff9b::127.0.0.1", "64:ff9b::192.168.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::192.0.2.1",
        "64:ff9b::203.0.113.7", "64:ff9b::192.88.99.1", "64:ff9b::239.1.1.1",
        "::127.0.0.1", "::10.0.0.1", "::2", "2002:7f00:0001::", "2002:0a00:0001:1::1",
        "2002:c000:0201::1", "64:ff9b:1::1",
    ])
    func refusesEmbeddedRestrictedIPv4(text: String) throws {
        #expect(!strict.permits(try #require(IPAddress(text))))
    }

    @Test(arguments: ["::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "::ffff:192.0.0.9", "64:ff9b::192.0.0.10"])
    func permitsMappedAndNAT64FormsOfPublicIPv4(text: String) throws {
        #expect(strict.permits(try #require(IPAddress(text))))
    }

    /// 6to4 and IPv4-compatible addresses do not reach the IPv4 host they embed: they are
    /// refused even when that host is public (as Python's `is_global` has it for 6to4).
    @Test(arguments: ["2002:0808:0808::1", "2002:5db8:d822::1", "::8.8.8.8", "::93.184.216.34"])
    func refusesTunnelFormsOfPublicIPv4(text: String) throws {
        #expect(!strict.permits(try #require(IPAddress(text))))
    }

    @Test func allowListPermitsPrivateRanges() throws {
        let policy = try AddressPolicy(allowListStrings: ["10.1.0.0/16", "::1/128", "fd00:1::/32"])
        #expect(policy.permits(IPAddress("10.1.2.3")!))
        #expect(policy.permits(IPAddress("::ffff:10.1.2.3")!))  // mapped form of an allowed v4
        #expect(policy.permits(IPAddress("::1")!))
        #expect(policy.permits(IPAddress("fd00:1:ffff::9")!))
        #expect(!policy.permits(IPAddress("10.2.0.1")!))
        #expect(!policy.permits(IPAddress("127.0.0.1")!))
        #expect(!policy.permits(IPAddress("fd00:2::1")!))
        #expect(policy.permits(IPAddress("1.1.1.1")!))
    }

    @Test func invalidAllowListEntryIsReported() {
        #expect(throws: AddressPolicy.InvalidRange(text: "10.0.0.0/40")) {
            try AddressPolicy(allowListStrings: ["10.0.0.0/8", "10.0.0.0/40"])
        }
    }

    /// An allow-listed documentation range is reachable in all its forms; its neighbours are not.
    @Test func allowListPermitsTestNet() throws {
        let policy = try AddressPolicy(allowListStrings: ["192.0.2.0/24", "2001:db8:1::/48"])
        for text in ["192.0.2.1", "192.0.2.255", "::ffff:192.0.2.1", "64:ff9b::192.0.2.1", "2001:db8:1::1"] {
            #expect(policy.permits(IPAddress(text)!), "\(text)")
        }
        for text in ["198.51.100.1", "203.0.113.1", "64:ff9b::198.51.100.1", "2001:db8:2::1", "10.0.0.1"] {
            #expect(!policy.permits(IPAddress(text)!), "\(text)")
        }
        #expect(policy.permits(IPAddress("93.184.216.34")!))
        #expect(!AddressPolicy().permits(IPAddress("192.0.2.1")!))
    }

    @Test func allowPrivateNetworksPermitsEverything() {
        let open = AddressPolicy(allowPrivateNetworks: true)
        for text in [
            "127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "fe80::1", "::ffff:127.0.0.1", "8.8.8.8",
            "192.0.2.1", "198.51.100.1", "203.0.113.1", "192.88.99.1", "224.0.0.1", "255.255.255.255",
            "2001:db8::1", "2002:c000:0201::1", "3fff::1", "fec0::1", "ff02::1", "::8.8.8.8", "4000::1",
        ] {
            #expect(open.permits(IPAddress(text)!), "\(text)")
        }
    }
}
