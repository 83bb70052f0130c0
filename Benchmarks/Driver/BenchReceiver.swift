import Hummingbird
import Logging
import ServiceLifecycle
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
/// arrival; POSTs to `/slow/...` are answered after `slowDelay` and noted apart.
final class BenchReceiver: Sendable {
    let log = ArrivalLog()
    let slowLog = ArrivalLog()
    let slowDelay: Duration
    let port: Int
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>

    init(slowDelay: Duration = .seconds(2)) async throws {
        let router = Router()
        self.slowDelay = slowDelay
        let log = self.log, slowLog = self.slowLog
        router.post("/hook/**") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            log.note(tag: ArrivalLog.tag(in: body))
            return .ok
        }
        router.post("/slow/**") { request, _ -> HTTPResponse.Status in
            _ = try await request.body.collect(upTo: 1 << 20)
            try await Task.sleep(for: slowDelay)
            slowLog.note(tag: nil)
            return .ok
        }
        var logger = Logger(label: "bench-receiver")
        logger.logLevel = .warning
        let bound = AsyncStream<Int>.makeStream()
        let app = Application(
            // A fan-out round opens up to 1,000 connections at once: with the default backlog of 256
            // the kernel dropped SYNs and some rounds waited a second for the retransmit.
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "bench-receiver", backlog: 4096),
            onServerRunning: { channel in bound.continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        self.group = group
        runner = Task { try await group.run() }
        var iterator = bound.stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw BenchError.failed("the receiver did not start") }
        self.port = port
    }

    /// The URL of one hook path.
    func url(_ n: Int) -> String { "http://127.0.0.1:\(port)/hook/\(n)" }

    /// The URL of one slow path.
    func slowURL(_ n: Int) -> String { "http://127.0.0.1:\(port)/slow/\(n)" }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await runner.result
    }
}
