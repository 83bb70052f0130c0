/// A single outbound HTTP request (typically a signed webhook POST).
public struct OutboundRequest: Sendable {
    /// Absolute `http` or `https` URL. Credentials (`user:pw@`) are rejected.
    public var url: String
    /// HTTP method; `"POST"` by default. Must be an RFC 9110 token.
    public var method: String
    /// Request headers, sent in order. `Content-Type` is not defaulted: if absent,
    /// no `Content-Type` header is sent (curl's form-encoding default is suppressed).
    public var headers: [HTTPHeaderField]
    /// Request body; arbitrary bytes, including NUL.
    public var body: [UInt8]
    /// Limit for establishing the connection (TCP + TLS). Default 10 s.
    public var connectTimeout: Duration
    /// Limit for the whole transfer. Default 30 s.
    public var totalTimeout: Duration
    /// At most this many response-body bytes are kept; the rest is read and discarded.
    public var maxResponseBytes: Int

    /// Creates a request; only `url` is required.
    public init(
        url: String,
        method: String = "POST",
        headers: [HTTPHeaderField] = [],
        body: [UInt8] = [],
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(30),
        maxResponseBytes: Int = 65_536
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
    }
}
