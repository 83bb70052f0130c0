/// Why a `resource_key_pattern` was rejected: what is wrong and, where the syntax scan finds it,
/// where (1-based character position).
public struct ResourcePatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based position of the offending character in the pattern; `nil` when only RE2 knows
    /// (then `reason` is RE2's explanation).
    public var position: Int?
    /// What is wrong there.
    public var reason: String

    public init(position: Int?, reason: String) {
        self.position = position
        self.reason = reason
    }

    public var description: String {
        if let position { "invalid pattern at position \(position): \(reason)" } else { "not a valid RE2 pattern: \(reason)" }
    }
}

/// Validates `resource_key_pattern` regular expressions before they are stored.
///
/// RE2 decides (the engine delivery matches with, `ResourcePattern`); a pattern it refuses is
/// scanned to say where it goes wrong. Delivery matches in linear time (RE2 syntax, no backtracking),
/// so the scan knows that syntax: constructs RE2 refuses — backreferences, lookaround, atomic groups,
/// possessive quantifiers, repeat counts above 1000 — are reported with their position.
public enum ResourcePatternValidator {
    /// RE2's limit on `{n,m}` counts.
    public static let maximumRepeat = 1000

    /// Accepts `pattern` (non-empty, at most `ResourcePattern.maximumLength` UTF-8 bytes, accepted by
    /// RE2) or throws what is wrong, with the position when the scan finds it.
    public static func validate(_ pattern: String) throws(ResourcePatternError) {
        guard !pattern.isEmpty else { throw ResourcePatternError(position: 1, reason: "the pattern is empty") }
        let maximumLength = ResourcePattern.maximumLength
        guard pattern.utf8.count <= maximumLength else {
            throw ResourcePatternError(position: maximumLength + 1, reason: "the pattern is longer than \(maximumLength) bytes")
        }
        do throws(PatternError) {
            try ResourcePattern.validate(pattern)
        } catch {
            var scanner = Scanner(chars: Array(pattern))
            try scanner.run()
            throw ResourcePatternError(position: nil, reason: error.reason)
        }
    }

    private struct Scanner {
        let chars: [Character]
        var index = 0
        /// Positions of open groups.
        var groups: [Int] = []
        /// Whether the previous item can take a quantifier.
        var canRepeat = false
        /// Whether the previous item was a quantifier (a second one is RE2's "bad repetition operator").
        var afterQuantifier = false

        func fail(_ at: Int, _ reason: String) -> ResourcePatternError { ResourcePatternError(position: at + 1, reason: reason) }

        mutating func run() throws(ResourcePatternError) {
            while index < chars.count {
                let c = chars[index]
                switch c {
                case "\\":
                    try escape()
                    atom()
                case "[":
                    try characterClass()
                    atom()
                case "(": try openGroup()
                case ")":
                    guard groups.popLast() != nil else { throw fail(index, "unmatched ')'") }
                    index += 1
                    atom()
                case "|":
                    index += 1
                    canRepeat = false
                    afterQuantifier = false
                case "*", "+", "?": try quantifier(length: 1)
                case "{":
                    if let length = try countedRepeat() {
                        try quantifier(length: length)
                    } else {
                        index += 1
                        atom()
                    }
                default:
                    index += 1
                    atom()
                }
            }
            if let open = groups.last { throw fail(open, "'(' is never closed") }
        }

        mutating func atom() {
            canRepeat = true
            afterQuantifier = false
        }

        mutating func quantifier(length: Int) throws(ResourcePatternError) {
            if afterQuantifier {
                // `*?`, `+?`, `??`, `{n}?` are lazy forms; anything else after a quantifier is not RE2.
                if chars[index] == "?" && length == 1 {
                    afterQuantifier = false
                    canRepeat = false
                    index += 1
                    return
                }
                throw fail(index, "'\(chars[index])' repeats a repetition (possessive or doubled quantifiers are not supported)")
            }
            guard canRepeat else { throw fail(index, "'\(chars[index])' has nothing to repeat") }
            index += length
            afterQuantifier = true
        }

        /// Length of a `{n}`, `{n,}` or `{n,m}` at `index`, or nil when the brace is a literal.
        func countedRepeatLength() -> (length: Int, low: Int, high: Int?)? {
            var i = index + 1
            func number() -> Int? {
                let start = i
                while i < chars.count, let d = chars[i].wholeNumberValue, chars[i].isASCII {
                    _ = d
                    i += 1
                }
                guard i > start else { return nil }
                return Int(String(chars[start..<i])) ?? Int.max
            }
            guard let low = number() else { return nil }
            var high: Int? = low
            if i < chars.count, chars[i] == "," {
                i += 1
                high = number()  // `{n,}` has no upper bound
            }
            guard i < chars.count, chars[i] == "}" else { return nil }
            return (i - index + 1, low, high)
        }

        func countedRepeat() throws(ResourcePatternError) -> Int? {
            guard let (length, low, high) = countedRepeatLength() else { return nil }
            if low > maximumRepeat || (high ?? 0) > maximumRepeat {
                throw fail(index, "repeat counts above \(maximumRepeat) are not supported")
            }
            if let high, high < low { throw fail(index, "the repeat range {\(low),\(high)} is reversed") }
            return length
        }

        mutating func escape() throws(ResourcePatternError) {
            guard index + 1 < chars.count else { throw fail(index, "the pattern ends with a lone '\\'") }
            let next = chars[index + 1]
            if let digit = next.wholeNumberValue, next.isASCII, digit > 0 {
                throw fail(index, "backreferences (\\\(next)) are not supported")
            }
            if "ZGKgkR".contains(next) { throw fail(index, "the escape \\\(next) is not supported") }
            index += 2
        }

        mutating func characterClass() throws(ResourcePatternError) {
            let start = index
            index += 1
            if index < chars.count, chars[index] == "^" { index += 1 }
            if index < chars.count, chars[index] == "]" { index += 1 }  // a leading ']' is a literal
            while index < chars.count {
                switch chars[index] {
                case "]":
                    index += 1
                    return
                case "\\":
                    guard index + 1 < chars.count else { throw fail(index, "the pattern ends with a lone '\\'") }
                    index += 2
                case "[" where index + 1 < chars.count && chars[index + 1] == ":":
                    // POSIX class like [:alpha:]
                    guard let end = (index + 2..<chars.count).first(where: { chars[$0] == "]" && chars[$0 - 1] == ":" }) else {
                        throw fail(index, "'[:' starts a character class name that is never closed")
                    }
                    index = end + 1
                default:
                    index += 1
                }
            }
            throw fail(start, "'[' is never closed")
        }

        mutating func openGroup() throws(ResourcePatternError) {
            let start = index
            if index + 1 < chars.count, chars[index + 1] == "?" {
                let rest = String(chars[(index + 2)..<min(chars.count, index + 4)])
                for (prefix, name) in [
                    ("<=", "lookbehind"), ("<!", "lookbehind"), ("=", "lookahead"), ("!", "lookahead"),
                    (">", "atomic groups"), ("(", "conditionals"), ("R", "recursion"), ("#", "comments"),
                ]
                where rest.hasPrefix(prefix) {
                    throw fail(start, "\(name) '(?\(prefix)' is not supported")
                }
                if let c = rest.first, c.isNumber || c == "&" || c == "+" || c == "-" && rest.dropFirst().first?.isNumber == true {
                    throw fail(start, "subroutine calls are not supported")
                }
            }
            groups.append(start)
            index += 1
            if index < chars.count, chars[index] == "?" { index += 1 }  // group flags / names are part of the group opener
            canRepeat = false
            afterQuantifier = false
        }
    }
}
