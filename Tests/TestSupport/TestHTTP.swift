import Foundation
import Outbound

/// A response as tests look at it.
public struct TestResponse: Sendable {
    public let status: Int
    public let headers: [HTTPHeaderField]
    public let body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object (empty when it is not one).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    /// `json["data"]` as an object.
    public var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }

    public func header(_ name: String) -> String? { headers.first(named: name) }
}

/// A small HTTP client for tests, over the platform's own outbound module (loopback allowed).
public struct TestHTTP: Sendable {
    private let client = OutboundClient(policy: AddressPolicy(allowPrivateNetworks: true), userAgent: "webhooks-tests")

    public init() {}

    /// Sends a request with an optional bearer token and raw body.
    public func send(
        _ method: String, _ url: String, token: String? = nil, body: String? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> TestResponse {
        var headers: [HTTPHeaderField] = []
        if let token { headers.append(.init(name: "Authorization", value: "Bearer \(token)")) }
        if body != nil { headers.append(.init(name: "Content-Type", value: "application/json")) }
        for (name, value) in extra { headers.append(.init(name: name, value: value)) }
        let request = OutboundRequest(
            url: url, method: method, headers: headers, body: Array((body ?? "").utf8),
            connectTimeout: .seconds(5), totalTimeout: .seconds(60), maxResponseBytes: 8 << 20)
        let response = try await client.send(request)
        return TestResponse(status: response.statusCode, headers: response.headers, body: response.body)
    }

    /// Polls `url` until it answers 200, `timeout` passes or `alive` turns false.
    public func waitUntilReady(
        _ url: String, timeout: Duration = .seconds(60),
        while alive: () -> Bool = { true }
    ) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline && alive() {
            if let r = try? await send("GET", url), r.status == 200 { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    public func shutdown() async { await client.shutdown() }
}
