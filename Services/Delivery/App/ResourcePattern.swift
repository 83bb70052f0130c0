/// `resource_key_pattern` matching.
enum ResourcePattern {
    /// Whether `pattern` matches the whole of `key`; an invalid pattern matches nothing.
    static func fullMatch(_ pattern: String, _ key: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: key)) != nil
    }
}
