internal import CRE2
import Glibc

/// Many `resource_key_pattern`s compiled into one RE2::Set: one pass over a key tells which of them
/// match it in full.
public final class PatternSet: Sendable {
    /// Memory budget of a set's automata unless the caller gives one.
    public static let defaultMemory: Int64 = PatternBudget.setMemory

    // Immutable after init: RE2::Set::Match is const and safe to call from several threads.
    private nonisolated(unsafe) let set: OpaquePointer?
    /// The patterns, by index.
    public let patterns: [String]
    /// Patterns that failed to compile, by index; they never match.
    public let invalid: [Int: PatternError]

    /// Whether the set was built. When it was not (its automaton needs more than its memory
    /// budget), `matches` answers `nil` for every key and the caller matches one by one.
    public var isCompiled: Bool { self.set != nil || indexMap.isEmpty }

    /// Compiles `patterns` (invalid ones are recorded in `invalid` and never match) into a set of at
    /// most `memory` bytes.
    public init(_ patterns: [String], memory: Int64 = PatternSet.defaultMemory) {
        self.patterns = patterns
        var invalid: [Int: PatternError] = [:]
        guard !patterns.isEmpty else {
            self.set = nil
            self.invalid = [:]
            self.indexMap = []
            return
        }
        guard let set = cre2_set_new(memory) else {
            // Not even an empty set could be made: the caller matches one by one.
            self.set = nil
            self.invalid = [:]
            self.indexMap = Array(patterns.indices)
            return
        }
        // RE2 numbers the patterns it accepted consecutively; map them back to our indices.
        var error = [CChar](repeating: 0, count: 512)
        var accepted: [Int] = []
        for (index, pattern) in patterns.enumerated() {
            let added = pattern.withCString { cre2_set_add(set, $0, strlen($0), &error, error.count) }
            if added < 0 {
                invalid[index] = PatternError(pattern: pattern, reason: cString(error))
            } else {
                accepted.append(index)
            }
        }
        if accepted.isEmpty || cre2_set_compile(set) != 1 {
            cre2_set_free(set)
            self.set = nil
        } else {
            self.set = set
        }
        self.invalid = invalid
        self.indexMap = accepted
    }

    private let indexMap: [Int]

    deinit {
        if let set { cre2_set_free(set) }
    }

    /// Indices (into `patterns`) of the patterns matching the whole of `key`, or `nil` when the
    /// set could not be built or its automaton ran out of memory (the caller then matches one by one).
    public func matches(_ key: String) -> [Int]? {
        guard let set else { return indexMap.isEmpty ? [] : nil }
        var key = key
        var out = [Int32](repeating: 0, count: min(indexMap.count, 64))
        var count = key.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cre2_set_match(set, $0.baseAddress, $0.count, &out, out.count) }
        }
        if count < 0 { return nil }
        if Int(count) > out.count {
            out = [Int32](repeating: 0, count: Int(count))
            count = key.withUTF8 { buffer in
                buffer.withMemoryRebound(to: CChar.self) { cre2_set_match(set, $0.baseAddress, $0.count, &out, out.count) }
            }
            if count < 0 { return nil }
        }
        return out.prefix(Int(count)).map { indexMap[Int($0)] }
    }
}
