/// What one tenant's `resource_key_pattern`s may cost, so that no tenant can exhaust what another
/// needs.
///
/// The registry refuses a webhook that would take its tenant over a budget (422, with a code naming
/// the budget); delivery compiles each tenant's patterns into a set of their own with a memory
/// budget of their own, so one tenant's patterns can never stop another's from matching.
public enum PatternBudget {
    /// Most webhooks with a pattern in one tenant.
    public static let maximumPatternsPerTenant = 10_000
    /// Largest compiled program of one pattern, in RE2 instructions (`ResourcePattern.programSize`):
    /// `order-[0-9]+` is 12, `\pL` (any letter) about 1,200, `[a-z]{1000}` about 1,000.
    public static let maximumProgramSizePerPattern = 20_000
    /// Largest sum of the compiled programs of one tenant's patterns, in RE2 instructions.
    public static let maximumProgramSizePerTenant = 500_000
    /// Memory budget of one tenant's pattern set in delivery (`DELIVERY_PATTERN_SET_MEMORY_MB`
    /// overrides it). A tenant within the budgets above fits; a set that does not is matched
    /// pattern by pattern instead.
    public static let setMemory: Int64 = 64 << 20

    /// Which budget a change would break.
    public enum Violation: Error, Sendable, Equatable, CustomStringConvertible {
        /// One pattern's compiled program is larger than `maximumProgramSizePerPattern`.
        case patternTooLarge(size: Int)
        /// The tenant would have more than `maximumPatternsPerTenant` patterns.
        case tooManyPatterns(count: Int)
        /// The tenant's patterns would compile to more than `maximumProgramSizePerTenant`.
        case tenantTooLarge(size: Int)

        /// Stable error code.
        public var code: String {
            switch self {
            case .patternTooLarge: "E_PATTERN_TOO_COMPLEX"
            case .tooManyPatterns: "E_PATTERN_BUDGET_COUNT"
            case .tenantTooLarge: "E_PATTERN_BUDGET_SIZE"
            }
        }

        public var description: String {
            switch self {
            case .patternTooLarge(let size):
                "'resource_key_pattern' compiles to \(size) RE2 instructions; at most \(maximumProgramSizePerPattern) are allowed per pattern (simplify it, e.g. fewer repeated Unicode classes)"
            case .tooManyPatterns(let count):
                "the tenant would have \(count) webhooks with a 'resource_key_pattern'; at most \(maximumPatternsPerTenant) are allowed per tenant"
            case .tenantTooLarge(let size):
                "the tenant's resource_key_patterns would compile to \(size) RE2 instructions; at most \(maximumProgramSizePerTenant) are allowed per tenant (delete or simplify some)"
            }
        }
    }

    /// Checks adding a pattern of `size` to a tenant whose other patterns number `count` and
    /// compile to `total` instructions.
    public static func check(size: Int, otherCount count: Int, otherTotal total: Int) throws(Violation) {
        guard size <= maximumProgramSizePerPattern else { throw .patternTooLarge(size: size) }
        guard count + 1 <= maximumPatternsPerTenant else { throw .tooManyPatterns(count: count + 1) }
        guard total + size <= maximumProgramSizePerTenant else { throw .tenantTooLarge(size: total + size) }
    }
}
