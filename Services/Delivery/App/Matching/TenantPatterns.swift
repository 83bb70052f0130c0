import Patterns
import Synchronization

/// One tenant's `resource_key_pattern`s: compiled into a set of their own, with a memory budget of
/// their own, so another tenant's patterns can never stop them from matching.
///
/// When the set cannot be built (its automaton needs more than the budget), or runs out of memory
/// for a key, the patterns are matched one by one instead: slower, never silently nothing.
struct TenantPatterns: Sendable {
    let tenantId: Int64
    /// Distinct patterns, and the webhooks of each (same order).
    let patterns: [String]
    let webhooksByPattern: [[Int64]]
    let compiledSet: PatternSet
    /// The memory budget the set was built with.
    let setMemory: Int64
    /// Each pattern compiled alone, for matching one by one: made once, when first needed.
    let singles: SinglePatterns

    init(tenantId: Int64, patterns: [String], webhooksByPattern: [[Int64]], setMemory: Int64) {
        self.tenantId = tenantId
        self.patterns = patterns
        self.webhooksByPattern = webhooksByPattern
        self.setMemory = setMemory
        compiledSet = PatternSet(patterns, memory: setMemory)
        singles = SinglePatterns(patterns)
    }

    /// Whether the set could not be built and the patterns are matched one by one.
    var isFallback: Bool { !compiledSet.isCompiled }

    /// Patterns that do not compile at all (stored before they were validated as they are now);
    /// their webhooks can never match.
    var invalidCount: Int { compiledSet.invalid.count }

    /// Positions (into `patterns`) of the patterns matching the whole of `key`, and whether the set
    /// had to be bypassed for this key.
    func matches(_ key: String) -> (positions: [Int], fellBack: Bool) {
        if let positions = compiledSet.matches(key) { return (positions, false) }
        let compiled = singles.all()
        var positions: [Int] = []
        for (position, pattern) in compiled.enumerated() where pattern?.fullMatch(key) == true {
            positions.append(position)
        }
        return (positions, true)
    }
}

/// A tenant's patterns each compiled alone, made on first use and kept (a set that ran out of
/// memory for one key may well for the next).
final class SinglePatterns: Sendable {
    private let patterns: [String]
    private let compiled = Mutex<[ResourcePattern?]?>(nil)

    init(_ patterns: [String]) { self.patterns = patterns }

    /// Each pattern compiled alone, by position (`nil`: it does not compile).
    func all() -> [ResourcePattern?] {
        compiled.withLock { compiled in
            if let compiled { return compiled }
            let made = patterns.map { try? ResourcePattern($0) }
            compiled = made
            return made
        }
    }
}
