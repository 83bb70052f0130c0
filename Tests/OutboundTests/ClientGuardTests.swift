import Outbound
import Testing

/// The SSRF guard and URL checks, end to end.
@Suite struct ClientGuardTests {
    @Test func loopbackIsRefusedAtConnectTime() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let client = OutboundClient(policy: AddressPolicy(), userAgent: "t")
        let tag = uniqueTag()
        let cases = [
            ("http://127.0.0.1:\(receiver.port)/?tag=\(tag)", "127.0.0.1"),
            ("http://localhost:\(receiver.port)/?tag=\(tag)", ""),
            ("http://[::ffff:127.0.0.1]:\(receiver.port)/?tag=\(tag)", "::ffff:127.0.0.1"),
            ("http://[::1]:\(receiver.port)/?tag=\(tag)", "::1"),
            ("http://2130706433:\(receiver.port)/?tag=\(tag)", "127.0.0.1"),
        ]
        for (url, address) in cases {
            let error = await sendError(client, OutboundRequest(url: url, body: [1]))
            #expect(error?.code == .addressRefused, "\(url): \(String(describing: error))")
            #expect(error?.message.contains("refused by address policy") == true)
            if !address.isEmpty {
                #expect(error?.message.contains("connection to \(address) refused") == true, "\(String(describing: error))")
            }
        }
        #expect(try await receiver.seen(tag: tag) == 0)
        await client.shutdown()
    }

    @Test func allowListOpensExactlyTheListedRange() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let tag = uniqueTag()
        let narrow = OutboundClient(policy: AddressPolicy(allowList: [CIDR("127.0.0.2/32")!]), userAgent: "t")
        let refused = await sendError(narrow, OutboundRequest(url: "\(receiver.base)/?tag=\(tag)"))
        #expect(refused?.code == .addressRefused)
        await narrow.shutdown()

        let exact = OutboundClient(policy: AddressPolicy(allowList: [CIDR("127.0.0.1/32")!]), userAgent: "t")
        let response = try await exact.send(OutboundRequest(url: "\(receiver.base)/?tag=\(tag)"))
        #expect(response.statusCode == 200)
        await exact.shutdown()

        let open = OutboundClient(policy: AddressPolicy(allowPrivateNetworks: true), userAgent: "t")
        _ = try await open.send(OutboundRequest(url: "http://localhost:\(receiver.port)/?tag=\(tag)"))
        await open.shutdown()
        #expect(try await receiver.seen(tag: tag) == 2)
    }

    @Test func schemesAndCredentialsAreRejected() async throws {
        let client = OutboundClient(policy: AddressPolicy(allowPrivateNetworks: true), userAgent: "t")
        #expect(await sendError(client, OutboundRequest(url: "ftp://127.0.0.1/file"))?.code == .unsupportedScheme)
        #expect(await sendError(client, OutboundRequest(url: "file:///etc/passwd"))?.code == .unsupportedScheme)
        #expect(await sendError(client, OutboundRequest(url: "http://user:pw@127.0.0.1/"))?.code == .invalidURL)
        #expect(await sendError(client, OutboundRequest(url: "not a url"))?.code == .invalidURL)
        // Passes the quick string check; curl's own parser rejects it.
        #expect(await sendError(client, OutboundRequest(url: "http://[::1/"))?.code == .invalidURL)
        await client.shutdown()
    }
}
