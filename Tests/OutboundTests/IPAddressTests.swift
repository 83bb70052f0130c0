import Testing

@testable import Outbound

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("0.0.0.0", "0.0.0.0"), ("192.168.1.20", "192.168.1.20"), ("255.255.255.255", "255.255.255.255"),
        ("::", "::"), ("::1", "::1"), ("2001:DB8::1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("fe80::1:0:0:1", "fe80::1:0:0:1"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1"), ("::ffff:7f00:1", "::ffff:127.0.0.1"),
        ("64:ff9b::10.0.0.1", "64:ff9b::a00:1"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ])
    func parsesAndFormats(input: String, canonical: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", " 1.2.3.4",
        ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "[::1]", "fe80::1%eth0",
        "1:2:3:4:5:6:7::8", "::1.2.3", "1.2.3.4::", ":1::", "1:",
    ])
    func rejectsMalformed(input: String) {
        #expect(IPAddress(input) == nil)
    }

    @Test func bytesRoundTrip() throws {
        let v6 = try #require(IPAddress("2001:db8::ff00:42:8329"))
        #expect(v6.bytes.count == 16)
        #expect(IPAddress(bytes: v6.bytes) == v6)
        #expect(IPAddress(bytes: [10, 1, 2, 3]) == IPAddress("10.1.2.3"))
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }

    @Test func embeddedIPv4() {
        #expect(IPAddress("::ffff:10.0.0.1")?.embeddedIPv4 == IPAddress("10.0.0.1"))
        #expect(IPAddress("64:ff9b::127.0.0.1")?.embeddedIPv4 == IPAddress("127.0.0.1"))
        #expect(IPAddress("::192.168.0.1")?.embeddedIPv4 == IPAddress("192.168.0.1"))
        #expect(IPAddress("2002:c0a8:0101::1")?.embeddedIPv4 == IPAddress("192.168.1.1"))
        #expect(IPAddress("2001:db8::1")?.embeddedIPv4 == nil)
        #expect(IPAddress("10.0.0.1")?.embeddedIPv4 == nil)
    }

    /// Only the mapped and NAT64 forms are delivered to the IPv4 host they embed.
    @Test func translatedIPv4() {
        #expect(IPAddress("::ffff:10.0.0.1")?.translatedIPv4 == IPAddress("10.0.0.1"))
        #expect(IPAddress("::ffff:0.0.0.0")?.translatedIPv4 == IPAddress("0.0.0.0"))
        #expect(IPAddress("64:ff9b::127.0.0.1")?.translatedIPv4 == IPAddress("127.0.0.1"))
        #expect(IPAddress("64:ff9b::ffff:ffff")?.translatedIPv4 == IPAddress("255.255.255.255"))
        for text in [
            "::192.168.0.1", "::", "::1", "2002:c0a8:0101::1", "64:ff9b:1::a00:1",
            "64:ff9b::1:a00:1", "::1:ffff:a00:1", "1::ffff:a00:1", "2001:db8::1", "10.0.0.1",
        ] {
            #expect(IPAddress(text)?.translatedIPv4 == nil, "\(text)")
        }
    }

    @Test func cidrParsingAndMembership() throws {
        let range = try #require(CIDR("10.1.0.0/16"))
        #expect(range.contains(IPAddress("10.1.255.255")!))
        #expect(!range.contains(IPAddress("10.2.0.0")!))
        #expect(CIDR("10.1.2.3/16")?.description == "10.1.0.0/16")
        #expect(CIDR("::1/128")?.contains(IPAddress("::1")!) == true)
        #expect(CIDR("fe80::/10")?.contains(IPAddress("febf:ffff::1")!) == true)
        #expect(CIDR("fe80::/10")?.contains(IPAddress("fec0::1")!) == false)
        #expect(CIDR("0.0.0.0/0")?.contains(IPAddress("8.8.8.8")!) == true)
        #expect(CIDR("::/0")?.contains(IPAddress("8.8.8.8")!) == false)
        #expect(CIDR("192.168.1.1")?.prefixLength == 32)
        #expect(CIDR("2001:db8::/127")?.contains(IPAddress("2001:db8::1")!) == true)
        #expect(CIDR("2001:db8::/127")?.contains(IPAddress("2001:db8::2")!) == false)
        for bad in ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "x/8", "/8"] {
            #expect(CIDR(bad) == nil, "\(bad)")
        }
    }
}
