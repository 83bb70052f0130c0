import Foundation
import Outbound
import Testing

/// Real HTTP exchanges with the loopback receiver.
@Suite struct ClientRoundTripTests {
    @Test func postRoundTripKeepsBodyAndHeaders() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let client = OutboundClient(policy: TestPolicies.loopbackAllowed, userAgent: "outbound-tests/1.0")
        let body: [UInt8] = Array("{\"event\":\"x\"}".utf8) + [0, 0xFF, 0x0D, 0x0A, 0] + Array(0...255)
        let request = OutboundRequest(
            url: "\(receiver.base)/hook",
            headers: [
                .init(name: "Content-Type", value: "application/json"),
                .init(name: "X-Webhook-Signature", value: "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"),
                .init(name: "X-Webhook-Id", value: "evt_123"),
            ],
            body: body
        )
        let response = try await client.send(request)
        #expect(response.statusCode == 200)
        #expect(response.body == body)
        #expect(!response.bodyTruncated)
        #expect(response.headers.first(named: "x-req-method") == "POST")
        #expect(response.headers.first(named: "X-Req-Content-Type") == "application/json")
        #expect(response.headers.first(named: "X-Req-X-Webhook-Signature") == request.headers[1].value)
        #expect(response.headers.first(named: "X-Req-X-Webhook-Id") == "evt_123")
        #expect(response.headers.first(named: "X-Req-User-Agent") == "outbound-tests/1.0")
        #expect(response.headers.first(named: "X-Req-Content-Length") == String(body.count))
        #expect(response.headers.first(named: "X-Req-Expect") == nil)
        #expect(response.headers.first(named: "Content-Length") == String(body.count))
        #expect(response.remoteAddress == "127.0.0.1")
        #expect(response.duration > .zero)
        await client.shutdown()
    }

    @Test func noContentTypeUnlessGivenAndOtherMethods() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let client = OutboundClient(policy: TestPolicies.loopbackAllowed, userAgent: "t")
        let plain = try await client.send(OutboundRequest(url: receiver.base, body: Array("a=b".utf8)))
        #expect(plain.headers.first(named: "X-Req-Content-Type") == nil)
        #expect(plain.body == Array("a=b".utf8))

        let put = try await client.send(OutboundRequest(url: receiver.base, method: "PUT", body: [1, 0, 2]))
        #expect(put.headers.first(named: "X-Req-Method") == "PUT")
        #expect(put.body == [1, 0, 2])

        let get = try await client.send(OutboundRequest(url: receiver.base, method: "GET"))
        #expect(get.headers.first(named: "X-Req-Method") == "GET")
        #expect(get.body.isEmpty)

        let empty = try await client.send(OutboundRequest(url: receiver.base))
        #expect(empty.headers.first(named: "X-Req-Method") == "POST")
        #expect(empty.headers.first(named: "X-Req-Content-Length") == "0")

        let upper = try await client.send(OutboundRequest(url: "HTTP://127.0.0.1:\(receiver.port)/", body: [9]))
        #expect(upper.body == [9])
        await client.shutdown()
    }

    /// Transfers one after another run on the same easy handle, reset in between: nothing of an
    /// earlier request (method, headers, body, URL) reaches a later one, and the address check still
    /// runs for every connection.
    @Test func aReusedHandleCarriesNothingOver() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let client = OutboundClient(policy: AddressPolicy(allowList: [CIDR("127.0.0.1/32")!]), userAgent: "t")
        for round in 0..<3 {
            let first = try await client.send(
                OutboundRequest(
                    url: "\(receiver.base)/first", method: "PUT",
                    headers: [.init(name: "X-Only-First", value: "\(round)"), .init(name: "Content-Type", value: "text/plain")],
                    body: [1, 2, 3]))
            #expect(first.headers.first(named: "X-Req-Method") == "PUT")
            #expect(first.headers.first(named: "X-Req-X-Only-First") == "\(round)")
            let second = try await client.send(OutboundRequest(url: "\(receiver.base)/second", body: [4]))
            #expect(second.headers.first(named: "X-Req-Method") == "POST")
            #expect(second.headers.first(named: "X-Req-X-Only-First") == nil)
            #expect(second.headers.first(named: "X-Req-Content-Type") == nil)
            #expect(second.body == [4])
            let head = try await client.send(OutboundRequest(url: "\(receiver.base)/third", method: "GET"))
            #expect(head.headers.first(named: "X-Req-Method") == "GET")
            #expect(head.body.isEmpty)
            let refused = await sendError(client, OutboundRequest(url: "http://[::1]:\(receiver.port)/", body: [5]))
            #expect(refused?.code == .addressRefused)
        }
        await client.shutdown()
    }

    @Test(arguments: [201, 302, 404, 410, 500, 503])
    func statusCodesPassThrough(status: Int) async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let client = OutboundClient(policy: TestPolicies.loopbackAllowed, userAgent: "t")
        let response = try await client.send(OutboundRequest(url: "\(receiver.base)/?status=\(status)", body: Array("x".utf8)))
        #expect(response.statusCode == status)
        #expect(response.body == Array("x".utf8))
        await client.shutdown()
    }

    @Test func responseIsCappedButFullyRead() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let client = OutboundClient(policy: TestPolicies.loopbackAllowed, userAgent: "t")
        let pattern = Array("0123456789".utf8)

        let big = try await client.send(OutboundRequest(url: "\(receiver.base)/?size=300000", maxResponseBytes: 1000))
        #expect(big.statusCode == 200)
        #expect(big.bodyTruncated)
        #expect(big.body.count == 1000)
        #expect(big.body == Array((0..<100).flatMap { _ in pattern }))
        #expect(big.headers.first(named: "Content-Length") == "300000")

        let exact = try await client.send(OutboundRequest(url: "\(receiver.base)/?size=1000", maxResponseBytes: 1000))
        #expect(!exact.bodyTruncated)
        #expect(exact.body.count == 1000)

        let none = try await client.send(OutboundRequest(url: "\(receiver.base)/?size=10", maxResponseBytes: 0))
        #expect(none.bodyTruncated)
        #expect(none.body.isEmpty)

        // The discarded remainder was consumed, so the connection stays usable.
        let after = try await client.send(OutboundRequest(url: receiver.base, body: [7]))
        #expect(after.body == [7])
        #expect(after.headers.first(named: "X-Client-Port") == big.headers.first(named: "X-Client-Port"))
        await client.shutdown()
    }

    @Test func totalTimeoutFailsWithTimeout() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let client = OutboundClient(policy: TestPolicies.loopbackAllowed, userAgent: "t")
        let clock = ContinuousClock()
        let started = clock.now
        let error = await sendError(client, OutboundRequest(url: "\(receiver.base)/?sleep=20", totalTimeout: .seconds(1)))
        #expect(error?.code == .timeout)
        #expect(clock.now - started < .seconds(15))
        await client.shutdown()
    }

    @Test func closedPortFailsWithConnectFailed() async throws {
        let client = OutboundClient(policy: TestPolicies.loopbackAllowed, userAgent: "t")
        let error = await sendError(client, OutboundRequest(url: "http://127.0.0.1:1/", connectTimeout: .seconds(5)))
        #expect(error?.code == .connectFailed)
        await client.shutdown()
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let client = OutboundClient(policy: TestPolicies.loopbackAllowed, userAgent: "t")
        var ports: Set<String> = []
        for index in 0..<5 {
            let response = try await client.send(OutboundRequest(url: receiver.base, body: [UInt8(index)]))
            #expect(response.body == [UInt8(index)])
            ports.insert(response.headers.first(named: "X-Client-Port") ?? "?")
        }
        #expect(ports.count == 1)
        await client.shutdown()
    }
}
