import CRabbitMQ
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The state and loop of the connection thread. Every member is touched by that thread only; it
/// reaches the outside world through `connection.inbox` (a `Mutex`) and continuations.
final class ConnectionWorker {
    private let connection: AMQPConnection
    private var logger: Logger { connection.logger }
    private var conn: amqp_connection_state_t?
    private var generation: UInt64 = 0
    private static let publishChannel: UInt16 = 1

    // Publisher confirms of the current connection.
    private var nextPublishSeq: UInt64 = 1
    private var awaitingConfirm: [UInt64: PublishCompletion] = [:]

    // Consumers of the current connection, by channel.
    private var consumerChannels: [UInt16: ConsumerRegistration] = [:]
    private var subscribedCount = 0
    private var partial: [UInt16: PartialDelivery] = [:]
    private var acks = AckCoalescer()

    init(connection: AMQPConnection) {
        self.connection = connection
    }

    // MARK: Lifecycle

    func run() {
        var backoff = 0.2
        while !isStopping {
            do {
                try connect()
                backoff = 0.2
                try serve()
            } catch {
                if !isStopping {
                    logger.warning("AMQP connection lost", metadata: ["error": "\(error)"])
                }
            }
            disconnect(reason: AMQPError(.connectionLost, "the connection to the broker was lost before the confirm"))
            if isStopping { break }
            sleepInterruptibly(seconds: backoff)
            backoff = min(backoff * 2, 5)
        }
        finish()
    }

    private var isStopping: Bool { connection.inbox.withLock { $0.stopping } }

    private func finish() {
        let (publishes, consumers, waiters) = connection.inbox.withLock { state in
            state.finished = true
            state.connected = false
            let result = (state.publishes, state.consumers, state.closeWaiters)
            state.publishes = []
            state.closeWaiters = []
            return result
        }
        for p in publishes { p.completion.resume(.failure(AMQPError(.shutdown, "the connection was closed"))) }
        for c in consumers { c.continuation.finish() }
        for w in waiters { w.resume() }
        logger.info("AMQP connection closed")
    }

    private func sleepInterruptibly(seconds: Double) {
        var fds = [pollfd(fd: connection.wakePipe.readEnd, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 1, Int32(seconds * 1000))
        connection.wakePipe.drain()
    }

    // MARK: Connect

    private func connect() throws {
        let config = connection.configuration
        guard let state = amqp_new_connection() else { throw AMQPError(.protocolError, "amqp_new_connection failed") }
        conn = state
        guard let socket = amqp_tcp_socket_new(state) else { throw AMQPError(.protocolError, "amqp_tcp_socket_new failed") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        let rc = amqp_socket_open_noblock(socket, config.host, Int32(config.port), &timeout)
        guard rc == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(.notConnected, "cannot connect to \(config.host):\(config.port): \(Self.statusText(rc))")
        }
        try check(shim_amqp_login_plain(state, config.virtualHost, 0, 131_072, Int32(config.heartbeat), config.user, config.password), "login")
        amqp_channel_open(state, Self.publishChannel)
        try check(amqp_get_rpc_reply(state), "channel.open")
        amqp_confirm_select(state, Self.publishChannel)
        try check(amqp_get_rpc_reply(state), "confirm.select")
        try declareTopology(state)

        generation += 1
        nextPublishSeq = 1
        subscribedCount = 0
        connection.inbox.withLock { s in
            s.connectionCount += 1
            s.connected = true
            s.blocked = false
            s.consumersChanged = true
        }
        logger.info("AMQP connected", metadata: ["broker": "\(config.host):\(config.port)", "vhost": "\(config.virtualHost)"])
    }

    private func declareTopology(_ state: amqp_connection_state_t) throws {
        let ch = Self.publishChannel
        for exchange in connection.topology.exchanges {
            try withBytes(exchange.name, exchange.type) { name, type in
                amqp_exchange_declare(state, ch, name, type, 0, 1, 0, 0, amqp_empty_table)
            }
            try check(amqp_get_rpc_reply(state), "exchange.declare \(exchange.name)")
        }
        for queue in connection.topology.queues {
            var table = shim_table_new(Int32(queue.arguments.count))
            defer { shim_table_free(table) }
            for (key, value) in queue.arguments {
                switch value {
                case .string(let s): shim_table_add_string(&table, key, s)
                case .int(let i): shim_table_add_int(&table, key, i)
                }
            }
            let arguments = table
            try withBytes(queue.name) { name in
                amqp_queue_declare(state, ch, name, 0, 1, 0, 0, arguments)
            }
            try check(amqp_get_rpc_reply(state), "queue.declare \(queue.name)")
        }
        for binding in connection.topology.bindings {
            try withBytes(binding.queue, binding.exchange, binding.routingKey) { queue, exchange, key in
                amqp_queue_bind(state, ch, queue, exchange, key, amqp_empty_table)
            }
            try check(amqp_get_rpc_reply(state), "queue.bind \(binding.queue)")
        }
    }

    private func subscribeNewConsumers(_ state: amqp_connection_state_t) throws {
        let registrations = connection.inbox.withLock { s -> [ConsumerRegistration] in
            s.consumersChanged = false
            return s.consumers
        }
        while subscribedCount < registrations.count {
            let registration = registrations[subscribedCount]
            let channel = UInt16(2 + subscribedCount)
            amqp_channel_open(state, channel)
            try check(amqp_get_rpc_reply(state), "channel.open \(channel)")
            amqp_basic_qos(state, channel, 0, registration.prefetch, 0)
            try check(amqp_get_rpc_reply(state), "basic.qos")
            var queueName = registration.queue
            if let binding = registration.exclusiveBinding {
                guard let ok = amqp_queue_declare(state, channel, amqp_empty_bytes, 0, 0, 1, 1, amqp_empty_table) else {
                    try check(amqp_get_rpc_reply(state), "queue.declare (exclusive)")
                    throw AMQPError(.protocolError, "queue.declare (exclusive) returned nothing")
                }
                queueName = Self.string(ok.pointee.queue)  // copied before the library reuses its memory
                try withBytes(queueName, binding.exchange, binding.routingKey) { queue, exchange, key in
                    amqp_queue_bind(state, channel, queue, exchange, key, amqp_empty_table)
                }
                try check(amqp_get_rpc_reply(state), "queue.bind \(binding.exchange)")
            }
            try withBytes(queueName) { queue in
                amqp_basic_consume(state, channel, queue, amqp_empty_bytes, 0, 0, 0, amqp_empty_table)
            }
            try check(amqp_get_rpc_reply(state), "basic.consume \(registration.queue)")
            consumerChannels[channel] = registration
            subscribedCount += 1
            logger.info("AMQP consuming", metadata: ["queue": "\(registration.queue)", "prefetch": "\(registration.prefetch)"])
        }
    }

    private func disconnect(reason: AMQPError) {
        connection.inbox.withLock { $0.connected = false }
        for (_, completion) in awaitingConfirm { completion.resume(.failure(reason)) }
        awaitingConfirm.removeAll()
        // Publishes queued while the connection was up cannot be sent any more: fail them so callers can answer.
        let queued = connection.inbox.withLock { s -> [PublishCommand] in
            let q = s.publishes
            s.publishes = []
            s.settlements = []
            return q
        }
        for p in queued { p.completion.resume(.failure(reason)) }
        consumerChannels.removeAll()
        partial.removeAll()
        acks.reset()
        if let state = conn {
            amqp_connection_close(state, AMQP_REPLY_SUCCESS)
            amqp_destroy_connection(state)
        }
        conn = nil
    }

    // MARK: Serve

    private func serve() throws {
        guard let state = conn else { return }
        let window = max(1, connection.configuration.confirmWindow)
        let socketFD = amqp_get_sockfd(state)
        while true {
            let (publishes, settlements, consumersChanged, stopping, deadline) = connection.inbox.withLock { s in
                let room = max(0, window - awaitingConfirm.count)
                let take = s.stopping ? 0 : min(room, s.publishes.count)
                let p = Array(s.publishes.prefix(take))
                s.publishes.removeFirst(take)
                let settle = s.settlements
                s.settlements = []
                return (p, settle, s.consumersChanged, s.stopping, s.stopDeadline)
            }
            if stopping {
                try settleAll(state, settlements)
                // Let outstanding confirms arrive, up to the deadline, then leave.
                if awaitingConfirm.isEmpty || (deadline.map { ContinuousClock.now >= $0 } ?? true) { return }
            }
            var unsent = publishes[...]
            do {
                if consumersChanged && !stopping { try subscribeNewConsumers(state) }
                try settleAll(state, settlements)
                while let p = unsent.popFirst() { try send(state, p) }
            } catch {
                // Taken off the queue but not sent: `disconnect` no longer sees them, so their
                // callers hear of the lost connection here (a failed send answered its own).
                let reason = AMQPError(.connectionLost, "the connection to the broker was lost before the message was sent")
                for p in unsent { p.completion.resume(.failure(reason)) }
                throw error
            }

            try readAvailableFrames(state)

            let moreWork = connection.inbox.withLock { s in
                !s.settlements.isEmpty || s.consumersChanged || (s.stopping && awaitingConfirm.isEmpty)
                    || (!s.publishes.isEmpty && awaitingConfirm.count < window && !s.stopping)
            }
            if moreWork { continue }
            var fds = [
                pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: connection.wakePipe.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, 2, stopping ? 50 : 1000)
            if fds[1].revents != 0 { connection.wakePipe.drain() }
        }
    }

    private func settleAll(_ state: amqp_connection_state_t, _ settlements: [SettleCommand]) throws {
        let current = settlements.filter { $0.generation == generation }.map { (kind: $0.kind, channel: $0.channel, tag: $0.tag) }
        guard !current.isEmpty else { return }
        for frame in acks.frames(for: current) {
            let rc: Int32
            switch frame {
            case .ack(let channel, let tag, let multiple): rc = amqp_basic_ack(state, channel, tag, multiple ? 1 : 0)
            case .reject(let channel, let tag, let requeue): rc = amqp_basic_reject(state, channel, tag, requeue ? 1 : 0)
            }
            guard rc == AMQP_STATUS_OK.rawValue else { throw AMQPError(.connectionLost, "settling failed: \(Self.statusText(rc))") }
        }
    }

    private func send(_ state: amqp_connection_state_t, _ command: PublishCommand) throws {
        let message = command.message
        var props = amqp_basic_properties_t()
        var owned: [amqp_bytes_t] = []
        defer { owned.forEach(shim_bytes_free) }
        func dup(_ s: String) -> amqp_bytes_t {
            let b = shim_bytes_dup(s)
            owned.append(b)
            return b
        }
        props._flags = SHIM_FLAG_DELIVERY_MODE
        props.delivery_mode = message.persistent ? 2 : 1
        if let contentType = message.contentType {
            props._flags |= SHIM_FLAG_CONTENT_TYPE
            props.content_type = dup(contentType)
        }
        if let id = message.messageID {
            props._flags |= SHIM_FLAG_MESSAGE_ID
            props.message_id = dup(id)
        }
        if let type = message.type {
            props._flags |= SHIM_FLAG_TYPE
            props.type = dup(type)
        }
        var headers = shim_table_new(Int32(message.headers.count))
        defer { shim_table_free(headers) }
        if !message.headers.isEmpty {
            for (key, value) in message.headers.sorted(by: { $0.key < $1.key }) {
                shim_table_add_string(&headers, key, value)
            }
            props._flags |= SHIM_FLAG_HEADERS
            props.headers = headers
        }
        let exchange = dup(command.exchange)
        let routingKey = dup(command.routingKey)
        let rc = message.body.withUnsafeBytes { raw -> Int32 in
            let body = amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return amqp_basic_publish(state, Self.publishChannel, exchange, routingKey, 0, 0, &props, body)
        }
        guard rc == AMQP_STATUS_OK.rawValue else {
            command.completion.resume(.failure(AMQPError(.connectionLost, "publish failed: \(Self.statusText(rc))")))
            throw AMQPError(.connectionLost, "publish failed: \(Self.statusText(rc))")
        }
        awaitingConfirm[nextPublishSeq] = command.completion
        nextPublishSeq += 1
    }

    // MARK: Frames

    private func readAvailableFrames(_ state: amqp_connection_state_t) throws {
        while true {
            var frame = amqp_frame_t()
            var zero = timeval(tv_sec: 0, tv_usec: 0)
            let rc = amqp_simple_wait_frame_noblock(state, &frame, &zero)
            if rc == AMQP_STATUS_TIMEOUT.rawValue { return }
            guard rc == AMQP_STATUS_OK.rawValue else {
                throw AMQPError(.connectionLost, "reading from the broker failed: \(Self.statusText(rc))")
            }
            try handle(frame)
            amqp_maybe_release_buffers(state)
        }
    }

    private func handle(_ frame: amqp_frame_t) throws {
        switch Int32(frame.frame_type) {
        case AMQP_FRAME_METHOD:
            try handleMethod(frame.payload.method, channel: frame.channel)
        case AMQP_FRAME_HEADER:
            guard var delivery = partial[frame.channel],
                let decoded = frame.payload.properties.decoded?.assumingMemoryBound(to: amqp_basic_properties_t.self)
            else { return }
            delivery.expectedSize = Int(frame.payload.properties.body_size)
            delivery.readProperties(decoded.pointee)
            partial[frame.channel] = delivery
            if delivery.expectedSize == 0 { complete(channel: frame.channel) }
        case AMQP_FRAME_BODY:
            guard partial[frame.channel] != nil else { return }
            let fragment = frame.payload.body_fragment
            if fragment.len > 0, let bytes = fragment.bytes {
                partial[frame.channel]!.body.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: fragment.len))
            }
            if let d = partial[frame.channel], d.body.count >= d.expectedSize { complete(channel: frame.channel) }
        default:
            break  // heartbeats are handled by the library
        }
    }

    private func handleMethod(_ method: amqp_method_t, channel: UInt16) throws {
        switch method.id {
        case SHIM_BASIC_ACK:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            resolveConfirms(upTo: ack.delivery_tag, multiple: ack.multiple != 0, result: .success(()))
        case SHIM_BASIC_NACK:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            resolveConfirms(
                upTo: nack.delivery_tag, multiple: nack.multiple != 0,
                result: .failure(AMQPError(.nacked, "the broker refused the message")))
        case SHIM_BASIC_DELIVER:
            let deliver = method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            acks.delivered(channel: channel, tag: deliver.delivery_tag)
            partial[channel] = PartialDelivery(
                deliveryTag: deliver.delivery_tag, redelivered: deliver.redelivered != 0,
                exchange: Self.string(deliver.exchange), routingKey: Self.string(deliver.routing_key))
        case SHIM_BASIC_RETURN:
            logger.warning("AMQP message returned as unroutable")
        case SHIM_BASIC_CANCEL:
            throw AMQPError(.protocolError, "the broker cancelled a consumer on channel \(channel)")
        case SHIM_CHANNEL_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            throw AMQPError(.protocolError, "the broker closed channel \(channel): \(close.reply_code) \(Self.string(close.reply_text))")
        case SHIM_CONNECTION_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            throw AMQPError(.connectionLost, "the broker closed the connection: \(close.reply_code) \(Self.string(close.reply_text))")
        case SHIM_CONNECTION_BLOCKED:
            connection.inbox.withLock { $0.blocked = true }
            logger.warning("AMQP broker blocked publishing (resource alarm)")
        case SHIM_CONNECTION_UNBLOCKED:
            connection.inbox.withLock { $0.blocked = false }
            logger.info("AMQP broker unblocked publishing")
        default:
            break
        }
    }

    private func resolveConfirms(upTo tag: UInt64, multiple: Bool, result: Result<Void, AMQPError>) {
        if multiple {
            for key in awaitingConfirm.keys where key <= tag {
                awaitingConfirm.removeValue(forKey: key)?.resume(result)
            }
        } else {
            awaitingConfirm.removeValue(forKey: tag)?.resume(result)
        }
    }

    private func complete(channel: UInt16) {
        guard let d = partial.removeValue(forKey: channel), let registration = consumerChannels[channel] else { return }
        let delivery = AMQPDelivery(
            message: d.message(), exchange: d.exchange, routingKey: d.routingKey, redelivered: d.redelivered,
            deliveryCount: d.deliveryCount, channel: channel, deliveryTag: d.deliveryTag, generation: generation)
        registration.continuation.yield(delivery)
    }

    // MARK: Helpers

    private func check(_ reply: amqp_rpc_reply_t, _ what: String) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw AMQPError(.notConnected, "\(what): \(Self.statusText(reply.library_error))")
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == SHIM_CONNECTION_CLOSE, let p = reply.reply.decoded {
                let close = p.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                throw AMQPError(.protocolError, "\(what): broker closed the connection: \(close.reply_code) \(Self.string(close.reply_text))")
            }
            if reply.reply.id == SHIM_CHANNEL_CLOSE, let p = reply.reply.decoded {
                let close = p.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                throw AMQPError(.protocolError, "\(what): broker closed the channel: \(close.reply_code) \(Self.string(close.reply_text))")
            }
            throw AMQPError(.protocolError, "\(what): broker error")
        default:
            throw AMQPError(.protocolError, "\(what): no reply")
        }
    }

    static func statusText(_ status: Int32) -> String {
        guard let text = amqp_error_string2(status) else { return "status \(status)" }
        return String(cString: text)
    }

    static func string(_ bytes: amqp_bytes_t) -> String {
        guard bytes.len > 0, let pointer = bytes.bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: bytes.len), as: UTF8.self)
    }

    private func withBytes(_ a: String, _ body: (amqp_bytes_t) -> Void) throws {
        let x = shim_bytes_dup(a)
        defer { shim_bytes_free(x) }
        body(x)
    }

    private func withBytes(_ a: String, _ b: String, _ body: (amqp_bytes_t, amqp_bytes_t) -> Void) throws {
        let x = shim_bytes_dup(a), y = shim_bytes_dup(b)
        defer {
            shim_bytes_free(x)
            shim_bytes_free(y)
        }
        body(x, y)
    }

    private func withBytes(_ a: String, _ b: String, _ c: String, _ body: (amqp_bytes_t, amqp_bytes_t, amqp_bytes_t) -> Void) throws {
        let x = shim_bytes_dup(a), y = shim_bytes_dup(b), z = shim_bytes_dup(c)
        defer {
            shim_bytes_free(x)
            shim_bytes_free(y)
            shim_bytes_free(z)
        }
        body(x, y, z)
    }
}

/// A message being assembled from its method, header and body frames.
struct PartialDelivery {
    var deliveryTag: UInt64
    var redelivered: Bool
    var exchange: String
    var routingKey: String
    var expectedSize = 0
    var body: [UInt8] = []
    var messageID: String?
    var type: String?
    var contentType: String?
    var headers: [String: String] = [:]
    var persistent = false
    var deliveryCount = 0

    init(deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String) {
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
    }

    /// Copies what we use out of the library's memory, which is reused after the frame.
    mutating func readProperties(_ p: amqp_basic_properties_t) {
        if p._flags & SHIM_FLAG_MESSAGE_ID != 0 { messageID = ConnectionWorker.string(p.message_id) }
        if p._flags & SHIM_FLAG_TYPE != 0 { type = ConnectionWorker.string(p.type) }
        if p._flags & SHIM_FLAG_CONTENT_TYPE != 0 { contentType = ConnectionWorker.string(p.content_type) }
        if p._flags & SHIM_FLAG_DELIVERY_MODE != 0 { persistent = p.delivery_mode == 2 }
        if p._flags & SHIM_FLAG_HEADERS != 0, p.headers.num_entries > 0, let entries = p.headers.entries {
            for i in 0..<Int(p.headers.num_entries) {
                let entry = entries[i]
                let key = ConnectionWorker.string(entry.key)
                let value: String?
                switch Int32(entry.value.kind) {
                case Int32(AMQP_FIELD_KIND_UTF8.rawValue), Int32(AMQP_FIELD_KIND_BYTES.rawValue):
                    value = ConnectionWorker.string(entry.value.value.bytes)
                case Int32(AMQP_FIELD_KIND_I64.rawValue): value = String(entry.value.value.i64)
                case Int32(AMQP_FIELD_KIND_U64.rawValue), Int32(AMQP_FIELD_KIND_TIMESTAMP.rawValue): value = String(entry.value.value.u64)
                case Int32(AMQP_FIELD_KIND_I32.rawValue): value = String(entry.value.value.i32)
                case Int32(AMQP_FIELD_KIND_U32.rawValue): value = String(entry.value.value.u32)
                case Int32(AMQP_FIELD_KIND_I16.rawValue): value = String(entry.value.value.i16)
                case Int32(AMQP_FIELD_KIND_U16.rawValue): value = String(entry.value.value.u16)
                case Int32(AMQP_FIELD_KIND_I8.rawValue): value = String(entry.value.value.i8)
                case Int32(AMQP_FIELD_KIND_U8.rawValue): value = String(entry.value.value.u8)
                case Int32(AMQP_FIELD_KIND_BOOLEAN.rawValue): value = entry.value.value.boolean != 0 ? "true" : "false"
                default: value = nil
                }
                if let value { headers[key] = value }
            }
            if let count = headers["x-delivery-count"].flatMap(Int.init) { deliveryCount = count }
        }
    }

    func message() -> AMQPMessage {
        AMQPMessage(body: body, messageID: messageID, type: type, contentType: contentType, headers: headers, persistent: persistent)
    }
}
