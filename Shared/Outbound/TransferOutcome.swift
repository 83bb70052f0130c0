import CCurl

/// Builds the result of a finished transfer from its context and curl's info.
enum TransferOutcome {
    static func make(_ transfer: TransferContext, result: CURLcode) -> Result<OutboundResponse, OutboundError> {
        guard result == CURLE_OK else {
            return .failure(
                CurlErrorMapping.error(
                    for: result, detail: transfer.errorDetail,
                    refusedAddress: transfer.refusedAddress,
                    onlyRefused: transfer.permittedAttempts == 0))
        }
        let easy = transfer.easy
        var status = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var micros: curl_off_t = 0
        _ = ccurl_easy_getinfo_off_t(easy, CURLINFO_TOTAL_TIME_T, &micros)
        var ipPointer: UnsafeMutablePointer<CChar>?
        _ = ccurl_easy_getinfo_string(easy, CURLINFO_PRIMARY_IP, &ipPointer)
        let ip = ipPointer.map { String(cString: $0) }
        return .success(
            OutboundResponse(
                statusCode: status,
                headers: transfer.headers,
                body: transfer.body,
                bodyTruncated: transfer.bodyTruncated,
                duration: .microseconds(micros),
                remoteAddress: ip?.isEmpty == false ? ip : nil
            ))
    }
}
