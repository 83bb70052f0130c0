import Testing
@testable import Outbound

@Suite struct AddressPolicyTests {
    let strict = AddressPolicy()

    /// First and last address of every range refused by default.
    @Test(arguments: [
        ("0.0.0.0", "0.255.255.255"), ("10.0.0.0", "10.255.255.255"),
        ("100.64.0.0", "100.127.255.255"), ("127.0.0.0", "127.255.255.255"),
        ("169.254.0.0", "169.254.255.255"), ("172.16.0.0", "172.31.255.255"),
        ("192.0.0.0", "192.0.0.255"), ("192.168.0.0", "192.168.255.255"),
        ("198.18.0.0", "198.19.255.255"), ("224.0.0.0", "239.255.255.255"),
        ("240.0.0.0", "255.255.255.254"), ("255.255.255.255", "255.255.255.255"),
        ("::", "::"), ("::1", "::1"),
        ("fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
    ])
    func refusesRestrictedRanges(first: String, last: String) throws {
        #expect(!strict.permits(try #require(IPAddress(first))))
        #expect(!strict.permits(try #require(IPAddress(last))))
    }

    /// Neighbours just outside the refused ranges, and ordinary public addresses.
    @Test(arguments: [
        "1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0",
        "172.15.255.255", "172.32.0.0", "192.0.1.0", "191.255.255.255", "192.167.255.255",
        "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
        "8.8.8.8", "93.184.216.34",
        "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe00::", "fec0::",
        "2001:db8::1", "2606:4700:4700::1111", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ])
    func permitsPublicAddresses(text: String) throws {
        #expect(strict.permits(try #require(IPAddress(text))))
    }

    @Test(arguments: [
        "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::ffff:0.0.0.0",
        "64:ff9b::127.0.0.1", "64:ff9b::192.168.0.1", "64:ff9b::a9fe:a9fe",
        "::127.0.0.1", "::10.0.0.1", "::2", "2002:7f00:0001::", "2002:0a00:0001:1::1", "64:ff9b:1::1",
    ])
    func refusesEmbeddedRestrictedIPv4(text: String) throws {
        #expect(!strict.permits(try #require(IPAddress(text))))
    }

    @Test(arguments: ["::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:0808:0808::1"])
    func permitsEmbeddedPublicIPv4(text: String) throws {
        #expect(strict.permits(try #require(IPAddress(text))))
    }

    @Test func allowListPermitsPrivateRanges() throws {
        let policy = try AddressPolicy(allowListStrings: ["10.1.0.0/16", "::1/128", "fd00:1::/32"])
        #expect(policy.permits(IPAddress("10.1.2.3")!))
        #expect(policy.permits(IPAddress("::ffff:10.1.2.3")!))   // mapped form of an allowed v4
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

    @Test func allowPrivateNetworksPermitsEverything() {
        let open = AddressPolicy(allowPrivateNetworks: true)
        for text in ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "fe80::1", "::ffff:127.0.0.1", "8.8.8.8"] {
            #expect(open.permits(IPAddress(text)!), "\(text)")
        }
    }
}
