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
    static func urlProblem(_ url: String) -> OutboundError? {
        guard let colon = url.firstIndex(of: ":") else {
            return OutboundError(code: .invalidURL, message: "URL has no scheme: \(url)")
        }
        let scheme = url[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else {
            return OutboundError(code: .invalidURL, message: "URL has an invalid scheme: \(url)")
        }
        guard ["http", "https"].contains(scheme.lowercased()) else {
            return OutboundError(code: .unsupportedScheme, message: "scheme \"\(scheme)\" is not allowed (only http and https)")
        }
        let rest = url[url.index(after: colon)...]
        guard rest.hasPrefix("//") else {
            return OutboundError(code: .invalidURL, message: "URL has no authority: \(url)")
        }
        // Conservative: any "@" before the first "/", "?" or "#" means credentials.
        let authority = rest.dropFirst(2).prefix { !"/?#".contains($0) }
        if authority.contains("@") {
            return OutboundError(code: .invalidURL, message: "URLs with credentials are not allowed")
        }
        if authority.isEmpty {
            return OutboundError(code: .invalidURL, message: "URL has no host: \(url)")
        }
        if url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
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
        if field.value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
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
        !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
        }
    }
}
