import PostgresNIO

/// What a tenant's `resource_key_pattern`s cost so far, for the pattern budgets.
public struct PatternUsage: Sendable, Equatable {
    /// Webhooks with a pattern (whatever their status: enabling one again must not overshoot).
    public var count: Int
    /// Sum of the compiled sizes stored with the patterns.
    public var knownSize: Int
    /// Patterns stored without a size (written before sizes were kept): the caller measures them.
    public var unmeasured: [String]

    public init(count: Int, knownSize: Int, unmeasured: [String]) {
        self.count = count
        self.knownSize = knownSize
        self.unmeasured = unmeasured
    }
}

extension WebhookStore {
    /// The pattern usage of `tenantId`'s webhooks other than `excluding`.
    public func patternUsage(tenantId: Int64, excluding: Int64?) async throws(StorageError) -> PatternUsage {
        try await storage {
            var usage = PatternUsage(count: 0, knownSize: 0, unmeasured: [])
            let rows = try await client.query(
                """
                SELECT resource_key_pattern, pattern_size FROM webhooks
                WHERE tenant_id = \(tenantId) AND resource_key_pattern IS NOT NULL
                  AND (\(excluding)::bigint IS NULL OR id <> \(excluding))
                """, logger: logger)
            for try await (pattern, size) in rows.decode((String, Int?).self) {
                usage.count += 1
                if let size { usage.knownSize += size } else { usage.unmeasured.append(pattern) }
            }
            return usage
        }
    }

    /// Stores the compiled size of webhook `id`'s pattern, if the pattern is still `pattern`.
    public func setPatternSize(id: Int64, pattern: String, size: Int) async throws(StorageError) {
        _ = try await storage {
            try await client.query(
                "UPDATE webhooks SET pattern_size = \(size) WHERE id = \(id) AND resource_key_pattern = \(pattern)",
                logger: logger)
        }
    }
}
