/// A message to publish, or the content of one received.
public struct AMQPMessage: Sendable, Equatable {
    public var body: [UInt8]
    public var messageID: String?
    /// AMQP `type` property (the event type for event messages).
    public var type: String?
    public var contentType: String?
    /// String-valued headers (integers are given as their decimal text).
    public var headers: [String: String]
    /// Persistent (delivery mode 2) messages survive a broker restart.
    public var persistent: Bool

    public init(
        body: [UInt8], messageID: String? = nil, type: String? = nil, contentType: String? = "application/json",
        headers: [String: String] = [:], persistent: Bool = true
    ) {
        self.body = body
        self.messageID = messageID
        self.type = type
        self.contentType = contentType
        self.headers = headers
        self.persistent = persistent
    }
}

/// A message handed to a consumer; settle it with `AMQPConnection.ack` or `reject`.
public struct AMQPDelivery: Sendable {
    public var message: AMQPMessage
    public var exchange: String
    public var routingKey: String
    /// The broker delivered it before (the previous consumer did not ack).
    public var redelivered: Bool
    /// Quorum queues count deliveries; 0 when absent.
    public var deliveryCount: Int

    let channel: UInt16
    let deliveryTag: UInt64
    /// Connection incarnation the tag belongs to; settling a tag of an older one is a no-op.
    let generation: UInt64
}
