import Outbound
import Testing

/// Concurrency, connection limits and shutdown.
@Suite struct ClientLifecycleTests {
    @Test func twoHundredConcurrentRequestsSucceed() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let base = receiver.base
        let client = OutboundClient(policy: TestPolicies.loopbackAllowed, userAgent: "t")
        let bodies = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let response = try await client.send(
                        OutboundRequest(
                            url: "\(base)/?n=\(index)",
                            body: Array("request-\(index)".utf8)))
                    #expect(response.statusCode == 200)
                    return (index, response.body)
                }
            }
            var collected: [Int: [UInt8]] = [:]
            for try await (index, body) in group { collected[index] = body }
            return collected
        }
        #expect(bodies.count == 200)
        for index in 0..<200 {
            #expect(bodies[index] == Array("request-\(index)".utf8))
        }
        await client.shutdown()
    }

    @Test func thousandRequestsQueueBehindConnectionLimit() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let base = receiver.base
        let client = OutboundClient(
            policy: TestPolicies.loopbackAllowed, userAgent: "t",
            maxConnectionsPerHost: 4, maxTotalConnections: 8)
        let ports = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<1000 {
                group.addTask {
                    let response = try await client.send(
                        OutboundRequest(
                            url: base, body: Array("\(index)".utf8),
                            totalTimeout: .seconds(120)))
                    #expect(response.body == Array("\(index)".utf8))
                    return response.headers.first(named: "X-Client-Port") ?? "?"
                }
            }
            var ports: Set<String> = []
            for try await port in group { ports.insert(port) }
            return ports
        }
        // At most 4 connections at a time and every one kept for reuse.
        #expect(ports.count <= 4)
        await client.shutdown()
    }

    @Test func shutdownFailsPendingTransfers() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let client = OutboundClient(policy: TestPolicies.loopbackAllowed, userAgent: "t")
        let tag = uniqueTag()
        let base = receiver.base
        let pending = Task {
            await sendError(client, OutboundRequest(url: "\(base)/?sleep=30&tag=\(tag)", totalTimeout: .seconds(60)))
        }
        var arrived = false
        for _ in 0..<100 where !arrived {
            arrived = try await receiver.seen(tag: tag) == 1
            if !arrived { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(arrived)
        await client.shutdown()
        let error = await pending.value
        #expect(error?.code == .shutdown)
        #expect(await sendError(client, OutboundRequest(url: receiver.base))?.code == .shutdown)
        await client.shutdown()  // idempotent
    }
}
