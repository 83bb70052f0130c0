import Foundation
import Outbound
import WebhookCore

/// Talks to a running system over its HTTP APIs, through the project's own outbound client (libcurl
/// multi: connections kept open, thousands of requests in flight from one thread).
struct PlatformClient: Sendable {
    let registryURL: String
    let ingestURL: String
    let deliveryURL: String
    let client: OutboundClient
    var token = ""

    init(registryURL: String, ingestURL: String, deliveryURL: String) {
        self.registryURL = registryURL
        self.ingestURL = ingestURL
        self.deliveryURL = deliveryURL
        client = OutboundClient(policy: AddressPolicy(allowPrivateNetworks: true), userAgent: "webhooks-bench")
    }

    /// A request and its JSON answer.
    func call(_ method: String, _ url: String, body: [UInt8] = [], headers: [HTTPHeaderField] = []) async throws -> (status: Int, json: JSONValue?) {
        var fields = headers + [HTTPHeaderField(name: "Content-Type", value: "application/json")]
        if !token.isEmpty { fields.append(HTTPHeaderField(name: "Authorization", value: "Bearer \(token)")) }
        let response = try await client.send(
            OutboundRequest(
                url: url, method: method, headers: fields, body: body, totalTimeout: .seconds(60),
                maxResponseBytes: 16 << 20))
        return (response.statusCode, try? JSONParser.parse(response.body))
    }

    mutating func login(username: String, password: String) async throws {
        let body = CanonicalJSON.encode(.object([("username", .string(username)), ("password", .string(password))]))
        let (status, json) = try await call("POST", registryURL + "/api/auth/login", body: body)
        guard status == 200, case .string(let token)? = json?["access_token"] else { throw BenchError.failed("login failed with \(status)") }
        self.token = token
    }

    /// Creates a webhook; returns its id.
    func createWebhook(url: String, events: [String], tenant: Int64, pattern: String? = nil, filter: JSONValue? = nil) async throws -> Int64 {
        var members: [(key: String, value: JSONValue)] = [
            ("url", .string(url)), ("events", .array(events.map { .string($0) })), ("tenant_id", .int(tenant)), ("retry_enabled", .bool(true)),
        ]
        if let pattern { members.append(("resource_key_pattern", .string(pattern))) }
        if let filter { members.append(("filter", filter)) }
        let (status, json) = try await call("POST", registryURL + "/api/v1/webhooks", body: CanonicalJSON.encode(.object(members)))
        guard status == 201, case .integer(let id)? = json?["data"]?["webhook_id"], let value = Int64(id) else {
            throw BenchError.failed("creating a webhook answered \(status)")
        }
        return value
    }

    /// Creates `count` webhooks, 16 requests at a time; `make(i)` creates the i-th and returns its id.
    func createWebhooks(_ count: Int, _ make: @escaping @Sendable (Int) async throws -> Int64) async throws -> [Int64] {
        try await withThrowingTaskGroup(of: [(Int, Int64)].self) { group in
            for lane in 0..<16 {
                group.addTask {
                    var made: [(Int, Int64)] = []
                    for i in stride(from: lane, to: count, by: 16) { made.append((i, try await make(i))) }
                    return made
                }
            }
            var ids = [Int64](repeating: 0, count: count)
            for try await made in group { for (i, id) in made { ids[i] = id } }
            return ids
        }
    }

    /// Deletes a webhook (its pending tasks are cancelled).
    func deleteWebhook(_ id: Int64) async throws {
        let (status, _) = try await call("DELETE", registryURL + "/api/v1/webhooks/\(id)")
        guard (200..<300).contains(status) else { throw BenchError.failed("deleting webhook \(id) answered \(status)") }
    }

    /// Every delivery replica's URL: the system's own plus any the benchmark started.
    var deliveryURLs: [String] { [deliveryURL] + extraDeliveryURLs }
    var extraDeliveryURLs: [String] = []

    /// A delivery metric summed over every replica.
    func deliveryMetric(_ key: String) async throws -> Double {
        var sum = 0.0
        for url in deliveryURLs { sum += try await metric(url, key) ?? 0 }
        return sum
    }

    /// Posts events (a JSON array); returns the HTTP status.
    func postEvents(_ body: [UInt8]) async throws -> Int {
        try await call("POST", ingestURL + "/api/v1/events", body: body).status
    }

    /// One sample of a service's `/metrics`, or `nil` when absent.
    func metric(_ base: String, _ key: String) async throws -> Double? {
        let response = try await client.send(OutboundRequest(url: base + "/metrics", method: "GET", maxResponseBytes: 4 << 20))
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") where line.hasPrefix(key + " ") {
            return Double(line.dropFirst(key.count + 1))
        }
        return nil
    }
}

/// Events of about `size` bytes in canonical JSON, for load.
enum EventFactory {
    /// A tenant id of its own for a scenario, so that no earlier scenario's webhooks match its events.
    static func newTenant() -> Int64 { Int64.random(in: 1_000_000...9_000_000_000) }

    /// An event of about `size` bytes; `data` holds `n` (the index), `extra` and padding.
    static func event(
        type: String, tenant: Int64, index: Int, size: Int, resourceKey: String? = nil, extra: [(key: String, value: JSONValue)] = []
    ) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", .string(type)), ("tenant_id", .int(tenant))]
        if let resourceKey { members.append(("resource_key", .string(resourceKey))) }
        let padding = max(0, size - 160 - (extra.isEmpty ? 0 : 100))
        // From bytes: String(repeating:count:) appends one character at a time, and was about a third
        // of the benchmark process's CPU while `delivery` sent its events.
        let filler = String(decoding: [UInt8](repeating: UInt8(ascii: "p"), count: padding), as: UTF8.self)
        members.append(("data", .object([("n", .int(index))] + extra + [("padding", .string(filler))])))
        return .object(members)
    }

    static func batch(_ events: [JSONValue]) -> [UInt8] { CanonicalJSON.encode(.array(events)) }
}
