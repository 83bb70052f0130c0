import CCurl

/// Translates a failed transfer's CURLcode into an `OutboundError`.
enum CurlErrorMapping {
    /// The category for `result`. `refused` is true when the address policy
    /// refused every address curl tried for this transfer.
    static func code(for result: CURLcode, refused: Bool) -> OutboundError.Code {
        switch result {
        case CURLE_COULDNT_CONNECT:
            return refused ? .addressRefused : .connectFailed
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dnsFailed
        case CURLE_URL_MALFORMAT, CURLE_LOGIN_DENIED:
            return .invalidURL
        case CURLE_UNSUPPORTED_PROTOCOL:
            return .unsupportedScheme
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .tlsFailed
        case CURLE_SEND_ERROR, CURLE_SEND_FAIL_REWIND:
            return .sendFailed
        case CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY,
            CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP3:
            return .receiveFailed
        default:
            return .internal
        }
    }

    /// A complete error; `detail` is curl's error buffer text (may be empty).
    /// `refusedAddress` is the last address the policy refused; `onlyRefused`
    /// tells whether no address was allowed at all (then it is `address_refused`).
    static func error(for result: CURLcode, detail: String, refusedAddress: IPAddress?, onlyRefused: Bool = true) -> OutboundError {
        let code = code(for: result, refused: refusedAddress != nil && onlyRefused)
        let summary = String(cString: curl_easy_strerror(result))
        var message = "curl error \(result.rawValue) (\(summary))"
        if !detail.isEmpty && detail != summary { message += ": \(detail)" }
        if let refusedAddress {
            message = "connection to \(refusedAddress) refused by address policy; " + message
        }
        return OutboundError(code: code, message: message)
    }
}
