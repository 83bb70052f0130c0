/// The outcome of a transfer that reached an HTTP response (any status code).
public struct OutboundResponse: Sendable {
    /// The final HTTP status code (1xx interim responses are skipped).
    public var statusCode: Int
    /// Headers of the final response, in the order received.
    public var headers: [HTTPHeaderField]
    /// The response body, at most `OutboundRequest.maxResponseBytes` bytes.
    public var body: [UInt8]
    /// True when the body was longer than the cap and the rest was discarded.
    public var bodyTruncated: Bool
    /// Total transfer time as measured by curl (name resolution to last byte).
    public var duration: Duration
    /// The IP address actually connected to, if curl reported one.
    public var remoteAddress: String?

    /// Creates a response value (useful for fakes in tests).
    public init(
        statusCode: Int,
        headers: [HTTPHeaderField],
        body: [UInt8],
        bodyTruncated: Bool,
        duration: Duration,
        remoteAddress: String?
    ) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
        self.duration = duration
        self.remoteAddress = remoteAddress
    }
}
