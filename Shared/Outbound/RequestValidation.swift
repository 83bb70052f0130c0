// Checks done in the caller's task before a request reaches the curl thread.
// Pure string logic; curl's own URL parser re-checks on the curl thread.

enum RequestValidation {
    /// Returns the first problem with `request`, or nil if it may be sent.
    static func problem(with request: OutboundRequest) -> OutboundError? {
        if let error = urlProblem(request.url) { return error }
        guard isToken(request.method) else {
            return OutboundError(code: .invalidRequest, message: "invalid HTTP method \"\(request.method)\"")
        }
        for field in request.headers {
            if let error = headerProblem(field) { return error }
        }
        guard request.maxResponseBytes >= 0 else {
            return OutboundError(code: .invalidRequest, message: "maxResponseBytes must not be negative")
        }
        guard request.connectTimeout > .zero, request.totalTimeout > .zero else {
            return OutboundError(code: .invalidRequest, message: "timeouts must be positive")
        }
        return nil
    }

    /// Scheme must be http/https (case-insensitive); no user info in the authority.
    /// Checked on the UTF-8 bytes: this runs for every request sent.
    static func urlProblem(_ url: String) -> OutboundError? {
        let bytes = Array(url.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
            return OutboundError(code: .invalidURL, message: "URL has no scheme: \(url)")
        }
        let scheme = bytes[..<colon]
        guard let first = scheme.first, isLetter(first),
            scheme.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
        else {
            return OutboundError(code: .invalidURL, message: "URL has an invalid scheme: \(url)")
        }
        let lowered = String(decoding: scheme, as: UTF8.self).lowercased()
        guard lowered == "http" || lowered == "https" else {
            return OutboundError(
                code: .unsupportedScheme, message: "scheme \"\(String(decoding: scheme, as: UTF8.self))\" is not allowed (only http and https)")
        }
        let rest = bytes[(colon + 1)...]
        guard rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) else {
            return OutboundError(code: .invalidURL, message: "URL has no authority: \(url)")
        }
        // Conservative: any "@" before the first "/", "?" or "#" means credentials.
        let authority = rest.dropFirst(2).prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        if authority.contains(UInt8(ascii: "@")) {
            return OutboundError(code: .invalidURL, message: "URLs with credentials are not allowed")
        }
        if authority.isEmpty {
            return OutboundError(code: .invalidURL, message: "URL has no host: \(url)")
        }
        // Scalars below U+0021 and U+007F are single bytes in UTF-8; every other byte is above them.
        if bytes.contains(where: { $0 < 0x21 || $0 == 0x7F }) {
            return OutboundError(code: .invalidURL, message: "URL contains whitespace or control characters")
        }
        return nil
    }

    /// Names must be tokens; values must not contain CR, LF or NUL (header injection).
    /// Framing headers are curl's job and may not be overridden.
    static func headerProblem(_ field: HTTPHeaderField) -> OutboundError? {
        guard isToken(field.name) else {
            return OutboundError(code: .invalidRequest, message: "invalid header name \"\(field.name)\"")
        }
        if field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) {
            return OutboundError(code: .invalidRequest, message: "header \(field.name) contains CR, LF or NUL")
        }
        let lowered = field.name.lowercased()
        if lowered == "content-length" || lowered == "transfer-encoding" {
            return OutboundError(code: .invalidRequest, message: "header \(field.name) is set by the client itself")
        }
        return nil
    }

    /// RFC 9110 token: one or more tchar.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                isLetter(byte) || isDigit(byte) || tcharSymbols.contains(byte)
            }
    }

    /// The symbols a token may hold besides letters and digits.
    private static let tcharSymbols = Set("!#$%&'*+-.^_`|~".utf8)

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
