import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// When each request reached the receiver, and the event number it carried (`data.n`).
final class ArrivalLog: Sendable {
    struct Arrival: Sendable {
        var instant: ContinuousClock.Instant
        var tag: Int?
    }

    private let arrivals = Mutex<[Arrival]>([])

    func note(tag: Int?) {
        let now = ContinuousClock.now
        arrivals.withLock { $0.append(Arrival(instant: now, tag: tag)) }
    }

    var count: Int { arrivals.withLock { $0.count } }
    var all: [ContinuousClock.Instant] { arrivals.withLock { $0.map(\.instant) } }
    var tagged: [Arrival] { arrivals.withLock { $0 } }
    func reset() { arrivals.withLock { $0.removeAll(keepingCapacity: true) } }

    /// Polls until `count` requests arrived or `timeout` passed; returns the arrival count.
    func wait(for count: Int, timeout: Duration) async -> Int {
        let deadline = ContinuousClock.now + timeout
        while self.count < count && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
        return self.count
    }

    /// The number after the first `{"n": ` in a body (the benchmark's events carry it first in `data`).
    static func tag(in body: ByteBuffer) -> Int? {
        let marker = Array(#"{"n": "#.utf8)
        return body.withUnsafeReadableBytes { bytes -> Int? in
            guard bytes.count >= marker.count else { return nil }
            var i = 0
            while i + marker.count <= bytes.count {
                if bytes[i] == marker[0] && zip(marker.indices, marker).allSatisfy({ bytes[i + $0] == $1 }) {
                    var j = i + marker.count, value = 0, digits = 0
                    while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 {
                        value = value * 10 + Int(bytes[j] - 0x30)
                        j += 1
                        digits += 1
                    }
                    return digits > 0 ? value : nil
                }
                i += 1
            }
            return nil
        }
    }
}

/// A fast loopback receiver: answers every POST to `/hook/...` with 200 at once and notes its
/// arrival; POSTs to `/slow/...` are answered after `slowDelay` and noted apart; anything else gets 404.
///
/// Written on SwiftNIO's HTTP/1 codec alone (no router, no task per request): the receiver shares
/// the machine with the system under test, so every microsecond it spends per POST is taken from
/// the deliveries it measures.
final class BenchReceiver: Sendable {
    let log = ArrivalLog()
    let slowLog = ArrivalLog()
    let slowDelay: Duration
    let port: Int
    private let channel: any Channel

    init(slowDelay: Duration = .seconds(2)) async throws {
        self.slowDelay = slowDelay
        let log = self.log, slowLog = self.slowLog
        let delay = TimeAmount(slowDelay)
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            // A fan-out round opens up to 1,000 connections at once: with a backlog of 256 the
            // kernel dropped SYNs and some rounds waited a second for the retransmit.
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        ReceiverHandler(log: log, slowLog: slowLog, slowDelay: delay))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port, port > 0 else { throw BenchError.failed("the receiver did not start") }
        self.port = port
    }

    /// The URL of one hook path.
    func url(_ n: Int) -> String { "http://127.0.0.1:\(port)/hook/\(n)" }

    /// The URL of one slow path.
    func slowURL(_ n: Int) -> String { "http://127.0.0.1:\(port)/slow/\(n)" }

    func stop() async {
        try? await channel.close()
    }
}

/// One connection's request handling: collects a request's body, then answers it.
private final class ReceiverHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Route { case hook, slow, other }

    private let log: ArrivalLog
    private let slowLog: ArrivalLog
    private let slowDelay: TimeAmount
    private var route = Route.other
    private var keepAlive = true
    private var version = HTTPVersion.http1_1
    private var body: ByteBuffer?

    init(log: ArrivalLog, slowLog: ArrivalLog, slowDelay: TimeAmount) {
        self.log = log
        self.slowLog = slowLog
        self.slowDelay = slowDelay
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            route =
                head.method != .POST
                ? .other
                : head.uri.hasPrefix("/hook/")
                    ? .hook
                    : head.uri.hasPrefix("/slow/") ? .slow : .other
            keepAlive = head.isKeepAlive
            version = head.version
            body = nil
        case .body(var part):
            // Only the hook route reads its body (for the event's number); the first part is kept
            // as it is, later ones are appended.
            guard route == .hook else { return }
            if body == nil { body = part } else { body!.writeBuffer(&part) }
        case .end:
            switch route {
            case .hook:
                log.note(tag: body.flatMap(ArrivalLog.tag(in:)))
                respond(context: context, status: .ok)
            case .slow:
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: slowDelay) {
                    let (handler, context) = loopBound.value
                    handler.slowLog.note(tag: nil)
                    handler.respond(context: context, status: .ok)
                }
            case .other:
                respond(context: context, status: .notFound)
            }
            body = nil
        }
    }

    private func respond(context: ChannelHandlerContext, status: HTTPResponseStatus) {
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: "0")
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        guard !keepAlive else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
    }
}
