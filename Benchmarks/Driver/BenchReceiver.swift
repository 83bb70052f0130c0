import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// When each request reached the receiver.
final class ArrivalLog: Sendable {
    private let instants = Mutex<[ContinuousClock.Instant]>([])

    func note() {
        let now = ContinuousClock.now
        instants.withLock { $0.append(now) }
    }

    var count: Int { instants.withLock { $0.count } }
    var all: [ContinuousClock.Instant] { instants.withLock { $0 } }
    func reset() { instants.withLock { $0.removeAll(keepingCapacity: true) } }

    /// Polls until `count` requests arrived or `timeout` passed; returns the arrival count.
    func wait(for count: Int, timeout: Duration) async -> Int {
        let deadline = ContinuousClock.now + timeout
        while self.count < count && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
        return self.count
    }
}

/// A fast loopback receiver: answers every POST to `/hook/...` with 200 at once and notes its arrival.
final class BenchReceiver: Sendable {
    let log = ArrivalLog()
    let port: Int
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>

    init() async throws {
        let router = Router()
        let log = self.log
        router.post("/hook/**") { _, _ -> HTTPResponse.Status in
            log.note()
            return .ok
        }
        var logger = Logger(label: "bench-receiver")
        logger.logLevel = .warning
        let bound = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "bench-receiver"),
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

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await runner.result
    }
}
