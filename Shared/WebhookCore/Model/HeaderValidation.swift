/// Checks on a webhook's custom headers and on the names of its signature and event headers, shared
/// by the registry (which refuses what breaks them) and by delivery (`WebhookRequest`, which never
/// sends a custom header the platform owns).
extension WebhookValidation {
    /// Most custom headers per webhook.
    public static let maximumHeaders = 50
    /// Longest header name, in bytes.
    public static let maximumHeaderNameLength = 128
    /// Longest custom header value, in bytes.
    public static let maximumHeaderValueLength = 4096

    /// Header names the platform sets or that control the connection and framing, lowercased. A
    /// custom header may not use them, nor any `Proxy-*` name, nor the webhook's own signature and
    /// event header names.
    public static let platformHeaderNames: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "content-type", "user-agent", "keep-alive",
        "upgrade", "te", "trailer", "expect", "webhook-id", "webhook-timestamp", "webhook-signature",
    ]

    /// Whether `name` belongs to the platform for a webhook with these signature and event header
    /// names (compared without regard to ASCII case).
    public static func isReservedHeader(_ name: String, signatureHeader: String, eventHeader: String) -> Bool {
        let lowered = name.lowercased()
        return platformHeaderNames.contains(lowered) || lowered.hasPrefix("proxy-")
            || lowered == signatureHeader.lowercased() || lowered == eventHeader.lowercased()
    }

    /// Whether `text` is an RFC 9110 token (one or more `tchar`) of at most `maximumHeaderNameLength`
    /// bytes: what a header name must be.
    public static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maximumHeaderNameLength
            && text.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || tcharSymbols.contains(c)
            }
    }

    private static let tcharSymbols = Set("!#$%&'*+-.^_`|~".utf8)

    /// Accepts the names of the signature and event headers: tokens, not a platform header, not the
    /// same name twice.
    public static func validateHeaderNames(signatureHeader: String, eventHeader: String) throws(WebhookValidationError) {
        for (field, name) in [("signature_header", signatureHeader), ("event_header", eventHeader)] {
            guard isToken(name) else {
                throw WebhookValidationError(
                    code: "E_INVALID_HEADERS",
                    message: "'\(field)' must be a header name (letters, digits and !#$%&'*+-.^_`|~, at most \(maximumHeaderNameLength) bytes)",
                    field: field)
            }
            let lowered = name.lowercased()
            guard !platformHeaderNames.contains(lowered), !lowered.hasPrefix("proxy-") else {
                throw WebhookValidationError(code: "E_RESERVED_HEADER", message: "'\(field)' may not be '\(name)': the platform sets that header", field: field)
            }
        }
        guard signatureHeader.lowercased() != eventHeader.lowercased() else {
            throw WebhookValidationError(
                code: "E_INVALID_HEADERS", message: "'signature_header' and 'event_header' must be different headers", field: "event_header")
        }
    }

    /// Accepts custom headers: at most `maximumHeaders`; names are tokens, distinct regardless of
    /// case, and not reserved (`isReservedHeader`: 400 `E_RESERVED_HEADER`); values are at most
    /// `maximumHeaderValueLength` bytes without control characters (HTAB is allowed), so no value can
    /// end a header line.
    public static func validateHeaders(_ headers: [String: String], signatureHeader: String, eventHeader: String)
        throws(WebhookValidationError)
    {
        func fail(_ message: String) -> WebhookValidationError {
            WebhookValidationError(code: "E_INVALID_HEADERS", message: message, field: "headers")
        }
        guard headers.count <= maximumHeaders else { throw fail("at most \(maximumHeaders) custom headers are allowed") }
        var seen = Set<String>()
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            guard isToken(name) else {
                throw fail("'\(name)' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~, at most \(maximumHeaderNameLength) bytes)")
            }
            guard !isReservedHeader(name, signatureHeader: signatureHeader, eventHeader: eventHeader) else {
                throw WebhookValidationError(
                    code: "E_RESERVED_HEADER", message: "custom header '\(name)' is set by the platform and may not be given", field: "headers")
            }
            guard seen.insert(name.lowercased()).inserted else { throw fail("header '\(name)' is given twice (names ignore case)") }
            guard value.utf8.count <= maximumHeaderValueLength else {
                throw fail("the value of header '\(name)' may be at most \(maximumHeaderValueLength) bytes")
            }
            // Checked on the bytes: as Characters, "\r\n" is one grapheme equal to neither "\r" nor "\n".
            guard !value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
                throw fail("the value of header '\(name)' must not contain line breaks or other control characters")
            }
        }
    }

    /// Accepts what delivery needs to send a webhook: its URL, its header names and its custom headers.
    public static func validateDeliverable(_ webhook: Webhook) throws(WebhookValidationError) {
        try validateURL(webhook.url)
        try validateHeaderNames(signatureHeader: webhook.signatureHeader, eventHeader: webhook.eventHeader)
        try validateHeaders(webhook.headers, signatureHeader: webhook.signatureHeader, eventHeader: webhook.eventHeader)
    }
}
