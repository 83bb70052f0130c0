/// Why a transfer produced no HTTP response.
public struct OutboundError: Error, Sendable, CustomStringConvertible {
    /// Stable, machine-readable failure categories. Raw values never change.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The URL could not be parsed or carries credentials.
        case invalidURL = "invalid_url"
        /// The URL scheme is not `http` or `https`.
        case unsupportedScheme = "unsupported_scheme"
        /// Every resolved address was refused by the `AddressPolicy` (SSRF guard).
        case addressRefused = "address_refused"
        /// The host name could not be resolved.
        case dnsFailed = "dns_failed"
        /// No TCP connection could be established.
        case connectFailed = "connect_failed"
        /// The connect or total timeout expired.
        case timeout = "timeout"
        /// The TLS handshake or certificate verification failed.
        case tlsFailed = "tls_failed"
        /// Sending the request failed.
        case sendFailed = "send_failed"
        /// Receiving or parsing the response failed.
        case receiveFailed = "receive_failed"
        /// The client was shut down before the transfer finished.
        case shutdown = "shutdown"
        /// The request itself is unusable (bad method, header injection, negative limits).
        case invalidRequest = "invalid_request"
        /// Anything else (libcurl resource errors, unexpected codes).
        case `internal` = "internal"
    }

    /// The failure category.
    public var code: Code
    /// Human-readable detail, including curl's error text and, for
    /// `address_refused`, the refused address.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `"<code>: <message>"`.
    public var description: String { "\(code.rawValue): \(message)" }
}
