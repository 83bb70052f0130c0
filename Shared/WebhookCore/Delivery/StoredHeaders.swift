/// Header fields as an attempt log keeps them: what was sent, without the credentials a webhook's
/// custom headers may carry, and what came back, by lowercase name.
public enum StoredHeaders {
    /// Words in a custom header's name that mark its value as a credential, never stored or shown.
    public static let sensitiveWords = ["auth", "token", "secret", "key", "cookie", "password"]

    /// The request headers as stored: a custom header (one of `custom`'s names, in any case) whose
    /// name contains a sensitive word has its value replaced by `[redacted]`; the platform's own
    /// headers (signatures included) are kept. A repeated name keeps its last value.
    public static func request(_ headers: [(name: String, value: String)], custom: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        out.reserveCapacity(headers.count)
        // No custom header, nothing to mask: the platform's own headers are kept as sent.
        guard !custom.isEmpty else {
            for (name, value) in headers { out[name] = value }
            return out
        }
        let customNames = Set(custom.keys.map { $0.lowercased() })
        for (name, value) in headers {
            let lower = name.lowercased()
            let sensitive = customNames.contains(lower) && sensitiveWords.contains { lower.contains($0) }
            out[name] = sensitive ? "[redacted]" : value
        }
        return out
    }

    /// The response headers as stored: names lowercased, a repeated name keeps its last value.
    public static func response(_ headers: [(name: String, value: String)]) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in headers { out[name.lowercased()] = value }
        return out
    }
}
