import Foundation
import Logging
import Synchronization
import WebhookCore

/// One AMQP connection, owned by one dedicated thread (rabbitmq-c connections are not thread-safe).
///
/// Swift tasks never block on it: they hand commands to the thread through a lock-protected inbox and
/// wake it through a pipe. Publishing uses publisher confirms and pipelines them: `publish` returns when
/// the broker confirmed that message, while up to `confirmWindow` messages are outstanding at once.
/// The thread reconnects with backoff, re-declares the topology and re-subscribes every consumer.
/// Deliveries received before a reconnect cannot be settled any more (the broker redelivers them).
public final class AMQPConnection: Sendable {
    let configuration: AMQPConfiguration
    let topology: AMQPTopology
    let logger: Logger
    let inbox = Mutex(Inbox())
    let wakePipe: WakePipe

    /// - Parameters:
    ///   - configuration: broker address and credentials.
    ///   - topology: declared on every connect.
    ///   - logger: connection events are logged here.
    public init(configuration: AMQPConfiguration, topology: AMQPTopology = WebhookTopology.standard, logger: Logger) {
        self.configuration = configuration
        self.topology = topology
        self.logger = logger
        self.wakePipe = WakePipe()
    }

    deinit {
        wakePipe.close()
    }

    /// Starts the connection thread (once).
    public func start() {
        let shouldStart = inbox.withLock { state -> Bool in
            guard !state.started else { return false }
            state.started = true
            return true
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in
            let worker = ConnectionWorker(connection: self)
            worker.run()
        }
        thread.name = "amqp-connection"
        thread.start()
    }

    /// Whether the connection is up and publishing is not blocked.
    public var isReady: Bool {
        inbox.withLock { $0.connected && !$0.blocked }
    }

    /// Waits until the connection is up, at most `timeout`.
    public func waitUntilConnected(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if isReady { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isReady
    }

    /// Publishes `message` and returns once the broker confirmed it.
    /// - Throws: `AMQPError` when the broker is unreachable or blocked, refused the message, or the
    ///   connection dropped before the confirm; the message may then not have been stored.
    public func publish(exchange: String, routingKey: String, message: AMQPMessage) async throws(AMQPError) {
        let result: Result<Void, AMQPError> = await withCheckedContinuation { continuation in
            if let refusal = enqueue([
                PublishCommand(
                    exchange: exchange, routingKey: routingKey, message: message,
                    completion: .single(continuation))
            ]) {
                continuation.resume(returning: .failure(refusal))
            }
        }
        try result.get()
    }

    /// Publishes every message of `batch` (in order) and returns, once the broker has answered for
    /// all of them, each one's outcome: one call, one wake-up of the connection thread and one
    /// resumption for the whole batch, where publishing them one by one costs each of those per message.
    public func publish(exchange: String, batch: [(routingKey: String, message: AMQPMessage)]) async -> [Result<Void, AMQPError>] {
        guard !batch.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            let collector = PublishBatch(count: batch.count, continuation: continuation)
            let commands = batch.enumerated().map { index, item in
                PublishCommand(exchange: exchange, routingKey: item.routingKey, message: item.message, completion: .slot(index, of: collector))
            }
            if let refusal = enqueue(commands) {
                continuation.resume(returning: Array(repeating: .failure(refusal), count: batch.count))
            }
        }
    }

    /// Queues `commands` for the connection thread, or says why the broker cannot take them now.
    private func enqueue(_ commands: [PublishCommand]) -> AMQPError? {
        // Only commands that find the queue empty wake the worker: it takes the whole queue (or as
        // much as the confirm window allows, and comes back for the rest on its own).
        let (refusal, wake) = inbox.withLock { state -> (AMQPError?, Bool) in
            if state.stopping { return (AMQPError(.shutdown, "the connection is closing"), false) }
            if !state.connected { return (AMQPError(.notConnected, "not connected to the broker at \(configuration.host):\(configuration.port)"), false) }
            if state.blocked { return (AMQPError(.blocked, "the broker is blocking publishers (resource alarm)"), false) }
            let wasEmpty = state.publishes.isEmpty
            state.publishes.append(contentsOf: commands)
            return (nil, wasEmpty)
        }
        if wake { wakePipe.wake() }
        return refusal
    }

    /// Subscribes to `queue`; the stream yields deliveries (at most `prefetch` unsettled at once) until
    /// the connection is closed. The subscription survives reconnects.
    public func consume(queue: String, prefetch: UInt16) -> AsyncStream<AMQPDelivery> {
        let (stream, continuation) = AsyncStream<AMQPDelivery>.makeStream()
        inbox.withLock { state in
            state.consumers.append(ConsumerRegistration(queue: queue, prefetch: prefetch, continuation: continuation))
            state.consumersChanged = true
        }
        wakePipe.wake()
        return stream
    }

    /// Subscribes to a private, server-named queue bound to `exchange` (for example the control
    /// notices every replica must see). The queue lives as long as the connection; after a reconnect
    /// a new one is declared, so notices sent while disconnected are missed — callers refresh fully
    /// when `onReconnect`-style gaps matter.
    public func consumeExclusive(bindingTo exchange: String, routingKey: String = "") -> AsyncStream<AMQPDelivery> {
        let (stream, continuation) = AsyncStream<AMQPDelivery>.makeStream()
        inbox.withLock { state in
            state.consumers.append(
                ConsumerRegistration(
                    queue: "", prefetch: 100, continuation: continuation,
                    exclusiveBinding: (exchange, routingKey)))
            state.consumersChanged = true
        }
        wakePipe.wake()
        return stream
    }

    /// How many times the connection was (re)established; consumers of exclusive queues compare it
    /// to notice gaps.
    public var connectionCount: UInt64 { inbox.withLock { $0.connectionCount } }

    /// Acknowledges a delivery: the broker forgets the message.
    public func ack(_ delivery: AMQPDelivery) {
        settle(.init(kind: .ack, channel: delivery.channel, tag: delivery.deliveryTag, generation: delivery.generation))
    }

    /// Rejects a delivery; with `requeue` the broker delivers it again, without it dead-letters it.
    public func reject(_ delivery: AMQPDelivery, requeue: Bool) {
        settle(.init(kind: requeue ? .requeue : .reject, channel: delivery.channel, tag: delivery.deliveryTag, generation: delivery.generation))
    }

    private func settle(_ command: SettleCommand) {
        // As with publishes: the worker takes every queued settlement at once.
        let wake = inbox.withLock { state in
            state.settlements.append(command)
            return state.settlements.count == 1
        }
        if wake { wakePipe.wake() }
    }

    /// Stops consuming, waits (up to `timeout`) for outstanding confirms, closes the connection and
    /// ends every consumer stream. Unsettled deliveries go back to the broker.
    public func close(timeout: Duration = .seconds(5)) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyFinished = inbox.withLock { state -> Bool in
                state.stopping = true
                state.stopDeadline = ContinuousClock.now + timeout
                if state.finished || !state.started { return true }
                state.closeWaiters.append(continuation)
                return false
            }
            if alreadyFinished { continuation.resume() } else { wakePipe.wake() }
        }
    }
}

// MARK: - Inbox shared between Swift tasks and the connection thread.

struct PublishCommand {
    var exchange: String
    var routingKey: String
    var message: AMQPMessage
    var completion: PublishCompletion
}

struct SettleCommand {
    enum Kind { case ack, reject, requeue }
    var kind: Kind
    var channel: UInt16
    var tag: UInt64
    var generation: UInt64
}

struct ConsumerRegistration {
    var queue: String
    var prefetch: UInt16
    var continuation: AsyncStream<AMQPDelivery>.Continuation
    /// For a private queue: the exchange and routing key to bind it to.
    var exclusiveBinding: (exchange: String, routingKey: String)? = nil
}

struct Inbox {
    var started = false
    var connected = false
    var blocked = false
    var stopping = false
    var stopDeadline: ContinuousClock.Instant?
    var finished = false
    var publishes: [PublishCommand] = []
    var settlements: [SettleCommand] = []
    var consumers: [ConsumerRegistration] = []
    var consumersChanged = false
    var connectionCount: UInt64 = 0
    var closeWaiters: [CheckedContinuation<Void, Never>] = []
}
