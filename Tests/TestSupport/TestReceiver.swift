import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A request a `TestReceiver` got.
public struct ReceivedRequest: Sendable {
    public let path: String
    public let headers: [String: String]
    public let body: [UInt8]
    public let receivedAt: ContinuousClock.Instant

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// How a `TestReceiver` answers one request.
public struct ReceiverReply: Sendable {
    public var status: Int
    public var delay: Duration
    public var headers: [String: String]

    public init(status: Int = 200, delay: Duration = .zero, headers: [String: String] = [:]) {
        self.status = status
        self.delay = delay
        self.headers = headers
    }
}

/// A real HTTP server on 127.0.0.1 (ephemeral port) that records every request and answers with a
/// reply chosen per request by `respond` (200 at once by default).
public final class TestReceiver: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    /// The bound port.
    public let port: Int
    /// The bound address.
    public let host: String

    /// The URL of `path` on this receiver.
    public func url(_ path: String = "/hook") -> String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path)"
    }

    /// Starts the receiver on `host`; `respond` gets each request's number (from 1) and returns the
    /// status and delay.
    public init(
        host: String = "127.0.0.1",
        respond: @escaping @Sendable (Int, ReceivedRequest) -> ReceiverReply = { _, _ in ReceiverReply() }
    ) async throws {
        self.host = host
        let received = RequestLog()
        let router = Router()
        router.on("{path+}", method: .post) { request, context -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let record = ReceivedRequest(path: request.uri.path, headers: headers, body: Array(body.readableBytesView), receivedAt: .now)
            let number = received.list.withLock { list in
                list.append(record)
                return list.count
            }
            let reply = respond(number, record)
            received.inFlight.withLock { counts in
                counts.now += 1
                counts.peak = max(counts.peak, counts.now)
            }
            defer { received.inFlight.withLock { $0.now -= 1 } }
            if reply.delay > .zero { try? await Task.sleep(for: reply.delay) }
            var fields: HTTPFields = [.contentType: "text/plain"]
            for (name, value) in reply.headers { fields[HTTPField.Name(name)!] = value }
            return Response(status: .init(code: reply.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: "reply \(number)")))
        }
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test-receiver")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        self.group = group
        self.task = Task { try await group.run() }
        var iterator = portStream.makeAsyncIterator()
        self.port = await iterator.next() ?? 0
        self.receivedStore = received
    }

    private let receivedStore: RequestLog

    /// Everything received so far.
    public var requests: [ReceivedRequest] { receivedStore.list.withLock { $0 } }

    /// The most requests this receiver was answering at once.
    public var peakInFlight: Int { receivedStore.inFlight.withLock { $0.peak } }

    /// Waits until at least `count` requests arrived (or `timeout` passed) and returns them.
    public func waitForRequests(_ count: Int, timeout: Duration = .seconds(30)) async -> [ReceivedRequest] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = requests
            if current.count >= count { return current }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return requests
    }

    /// Stops the server.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// The requests a receiver recorded, shared with its handler.
final class RequestLog: Sendable {
    let list = Mutex<[ReceivedRequest]>([])
    /// Requests being answered now, and the most at once.
    let inFlight = Mutex<(now: Int, peak: Int)>((0, 0))
}
