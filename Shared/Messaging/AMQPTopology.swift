import WebhookCore

/// Exchanges, queues and bindings declared (idempotently) on every connect.
public struct AMQPTopology: Sendable {
    /// An argument value in a declaration.
    public enum Argument: Sendable, Equatable {
        case string(String)
        case int(Int64)
    }

    public struct Exchange: Sendable {
        public var name: String
        /// `topic`, `direct` or `fanout`.
        public var type: String
        public init(_ name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    public struct Queue: Sendable {
        public var name: String
        public var arguments: [(String, Argument)]
        public init(_ name: String, arguments: [(String, Argument)] = []) {
            self.name = name
            self.arguments = arguments
        }
    }

    public struct Binding: Sendable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        public init(queue: String, exchange: String, routingKey: String) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
        }
    }

    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }
}

/// The platform's declarations (names in `WebhookTopology`, WebhookCore): what every service
/// declares on connect, and how a received message tells which kind it is.
extension WebhookTopology {
    /// Whether `message` is a batch message (by its `content_type`, parameters ignored).
    public static func isBatch(_ message: AMQPMessage) -> Bool {
        isBatch(contentType: message.contentType)
    }

    /// Everything the services declare at start-up.
    public static let standard: AMQPTopology = {
        let quorum: [(String, AMQPTopology.Argument)] = [
            ("x-queue-type", .string("quorum")),
            ("x-dead-letter-exchange", .string(deadExchange)),
            ("x-delivery-limit", .int(deliveryLimit)),
        ]
        let retryQueues = retryTiers.map { tier in
            AMQPTopology.Queue(
                retryQueue(tier.name),
                arguments: [
                    ("x-queue-type", .string("quorum")),
                    ("x-message-ttl", .int(Int64(tier.delay.components.seconds * 1000))),
                    ("x-dead-letter-exchange", .string(tasksExchange)),
                    ("x-dead-letter-routing-key", .string(deliverRoutingKey)),
                    // Expired messages move on only once the target confirmed them: none is lost.
                    ("x-dead-letter-strategy", .string("at-least-once")),
                    ("x-overflow", .string("reject-publish")),
                ])
        }
        return AMQPTopology(
            exchanges: [
                .init(eventsExchange, type: "topic"),
                .init(tasksExchange, type: "direct"),
                .init(deadExchange, type: "fanout"),
                .init(controlExchange, type: "fanout"),
            ],
            queues: [
                .init(deadQueue, arguments: [("x-queue-type", .string("quorum"))]),
                .init(fanoutQueue, arguments: quorum),
                .init(deliverQueue, arguments: quorum),
            ] + retryQueues,
            bindings: [
                .init(queue: deadQueue, exchange: deadExchange, routingKey: ""),
                .init(queue: fanoutQueue, exchange: eventsExchange, routingKey: "#"),
                .init(queue: deliverQueue, exchange: tasksExchange, routingKey: deliverRoutingKey),
            ])
    }()
}
