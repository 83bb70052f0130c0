import CCurl

/// Result of the one-time `curl_global_init`. A Swift global is initialised
/// lazily and exactly once, thread-safely (swift_once), on first access.
private let curlGlobalInitResult: UInt32 = curl_global_init(ccurl_global_default_flags()).rawValue

enum CurlGlobal {
    /// Runs `curl_global_init` if it has not run yet; returns an error if it failed.
    static func initialize() -> OutboundError? {
        let code = curlGlobalInitResult
        guard code != CURLE_OK.rawValue else { return nil }
        return OutboundError(code: .internal, message: "curl_global_init failed with code \(code)")
    }
}
