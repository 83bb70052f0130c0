import Patterns
import ServiceKit
import Storage
import WebhookCore

/// Keeps each tenant's `resource_key_pattern`s within `PatternBudget`, so that no tenant's patterns
/// can take the matching capacity another tenant needs. Checked on every write of a webhook with a
/// pattern; writes racing each other may overshoot by the writes in flight, which delivery absorbs
/// (an oversized set is matched pattern by pattern, never skipped).
struct PatternBudgetCheck: Sendable {
    let webhooks: any WebhookRepository

    /// The compiled size of `webhook`'s pattern (`nil` without one), after checking that its tenant
    /// stays within the budgets with it; 422 naming the budget otherwise.
    func check(_ webhook: Webhook, replacing id: Int64?) async throws -> Int? {
        guard let pattern = webhook.resourceKeyPattern else { return nil }
        let size = try Self.size(of: pattern)
        let usage = try await storeCall { try await webhooks.patternUsage(tenantId: webhook.tenantId, excluding: id) }
        var others = usage.knownSize
        for stored in usage.unmeasured { others += (try? Self.size(of: stored)) ?? 0 }
        do throws(PatternBudget.Violation) {
            try PatternBudget.check(size: size, otherCount: usage.count, otherTotal: others)
        } catch {
            throw APIError.unprocessable(error.code, error.description)
        }
        return size
    }

    /// Remembers the size of a saved webhook's pattern (a failure only means it is measured again).
    func record(_ saved: Webhook, size: Int?) async {
        guard let size, let pattern = saved.resourceKeyPattern else { return }
        try? await webhooks.setPatternSize(id: saved.id, pattern: pattern, size: size)
    }

    private static func size(of pattern: String) throws -> Int {
        do throws(PatternError) {
            return try ResourcePattern(pattern).programSize
        } catch {
            throw APIError.unprocessable("E_INVALID_PATTERN", "'resource_key_pattern' is not a valid RE2 pattern: \(error.reason)")
        }
    }
}
