import CCurl

/// Configures a fresh easy handle for one request. Runs on the curl thread.
enum TransferSetup {
    static func configure(_ transfer: TransferContext, request: OutboundRequest, userAgent: String) throws(OutboundError) {
        let easy = transfer.easy
        try setLong(easy, CURLOPT_NOSIGNAL, 1)
        try setURL(transfer, request.url)
        try setString(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        try setString(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try setLong(easy, CURLOPT_FOLLOWLOCATION, 0)
        // An empty proxy disables proxies, including those from the environment,
        // which would otherwise bypass the connect-time address check.
        try setString(easy, CURLOPT_PROXY, "")
        try setString(easy, CURLOPT_NOPROXY, "*")
        try setLong(easy, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout))
        try setLong(easy, CURLOPT_TIMEOUT_MS, milliseconds(request.totalTimeout))
        try setLong(easy, CURLOPT_TCP_KEEPALIVE, 1)
        try setString(easy, CURLOPT_USERAGENT, userAgent)
        try setMethodAndBody(easy, request)
        try setHeaders(transfer, request.headers)
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer), "ERRORBUFFER")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, transfer.opaque), "PRIVATE")
        try check(ccurl_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, outboundWriteCallback), "WRITEFUNCTION")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, transfer.opaque), "WRITEDATA")
        try check(ccurl_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, outboundHeaderCallback), "HEADERFUNCTION")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, transfer.opaque), "HEADERDATA")
        try check(ccurl_easy_setopt_opensocket_callback(easy, outboundOpenSocketCallback), "OPENSOCKETFUNCTION")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, transfer.opaque), "OPENSOCKETDATA")
    }

    /// Parses with curl's own URL parser and hands curl that parsed handle, so
    /// the checks below and the transfer see exactly the same URL.
    private static func setURL(_ transfer: TransferContext, _ url: String) throws(OutboundError) {
        guard let handle = curl_url() else { throw OutboundError(code: .internal, message: "curl_url() failed") }
        transfer.parsedURL = handle
        let parseCode = curl_url_set(handle, CURLUPART_URL, url, 0)
        guard parseCode == CURLUE_OK else {
            throw OutboundError(code: .invalidURL, message: "invalid URL: \(String(cString: curl_url_strerror(parseCode)))")
        }
        for part in [CURLUPART_USER, CURLUPART_PASSWORD] where urlPart(handle, part) != nil {
            throw OutboundError(code: .invalidURL, message: "URLs with credentials are not allowed")
        }
        let scheme = urlPart(handle, CURLUPART_SCHEME)?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else {
            throw OutboundError(code: .unsupportedScheme, message: "scheme \"\(scheme)\" is not allowed (only http and https)")
        }
        try check(ccurl_easy_setopt_curlu(transfer.easy, handle), "CURLU")
    }

    private static func urlPart(_ handle: OpaquePointer, _ part: CURLUPart) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, part, &value, 0) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }

    private static func setMethodAndBody(_ easy: UnsafeMutableRawPointer, _ request: OutboundRequest) throws(OutboundError) {
        let method = request.method.uppercased()
        if method == "HEAD" && request.body.isEmpty {
            try setLong(easy, CURLOPT_NOBODY, 1)
            return
        }
        if method == "GET" && request.body.isEmpty {
            try setLong(easy, CURLOPT_HTTPGET, 1)
            return
        }
        // POSTFIELDSIZE must precede COPYPOSTFIELDS so binary data (NULs) is copied in full.
        try check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)), "POSTFIELDSIZE_LARGE")
        let code =
            request.body.isEmpty
            ? ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            : request.body.withUnsafeBytes { ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        try check(code, "COPYPOSTFIELDS")
        if method != "POST" { try setString(easy, CURLOPT_CUSTOMREQUEST, request.method) }
    }

    /// Request headers in order, plus `Expect:` (no 100-continue) and, when the
    /// caller gave none, `Content-Type:` (drops curl's form-encoding default).
    private static func setHeaders(_ transfer: TransferContext, _ headers: [HTTPHeaderField]) throws(OutboundError) {
        var lines = headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        lines.append("Expect:")
        if headers.first(named: "Content-Type") == nil { lines.append("Content-Type:") }
        for line in lines {
            guard let list = curl_slist_append(transfer.headerList, line) else {
                throw OutboundError(code: .internal, message: "curl_slist_append failed")
            }
            transfer.headerList = list
        }
        try check(ccurl_easy_setopt_slist(transfer.easy, CURLOPT_HTTPHEADER, transfer.headerList), "HTTPHEADER")
    }

    /// Whole milliseconds, rounded up, at least 1 (0 would mean "no timeout" to curl).
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds < Int64(Int.max / 1000 - 1) else { return Int.max / 1000 }
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return max(1, Int(seconds) * 1000 + Int(fraction))
    }

    private static func setLong(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int) throws(OutboundError) {
        try check(ccurl_easy_setopt_long(easy, option, value), "option \(option.rawValue)")
    }

    private static func setString(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) throws(OutboundError) {
        try check(ccurl_easy_setopt_string(easy, option, value), "option \(option.rawValue)")
    }

    private static func check(_ code: CURLcode, _ what: String) throws(OutboundError) {
        guard code == CURLE_OK else {
            let text = String(cString: curl_easy_strerror(code))
            throw OutboundError(code: .internal, message: "curl_easy_setopt(\(what)) failed: \(text)")
        }
    }
}
