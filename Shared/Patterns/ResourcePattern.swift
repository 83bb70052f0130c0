internal import CRE2
import Glibc

/// Why a `resource_key_pattern` was rejected.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pattern.
    public var pattern: String
    /// RE2's explanation, which names the offending part (e.g. "missing ): (a").
    public var reason: String

    public init(pattern: String, reason: String) {
        self.pattern = pattern
        self.reason = reason
    }

    public var description: String { "invalid resource_key_pattern '\(pattern)': \(reason)" }
}

/// One compiled RE2 pattern: a `resource_key_pattern` (matched against the whole key, `fullMatch`)
/// or a payload filter's `$regex` (matched anywhere in a string, `partialMatch`).
///
/// RE2 matches in time linear in the key, so a tenant's pattern can never stall a worker.
public final class ResourcePattern: Sendable {
    /// Longest pattern accepted, in UTF-8 bytes (the registry refuses longer ones, see `ResourcePatternValidator`).
    public static let maximumLength = 1024

    // Immutable after init; RE2 objects are thread-safe for matching (const methods).
    private nonisolated(unsafe) let regex: OpaquePointer

    /// Compiles `pattern`.
    /// - Throws: `PatternError` naming what is wrong.
    public init(_ pattern: String) throws(PatternError) {
        guard pattern.utf8.count <= Self.maximumLength else {
            throw PatternError(pattern: pattern, reason: "longer than \(Self.maximumLength) bytes")
        }
        var error = [CChar](repeating: 0, count: 512)
        let compiled = pattern.withCString { cre2_regex_new($0, strlen($0), &error, error.count) }
        guard let compiled else {
            throw PatternError(pattern: pattern, reason: cString(error))
        }
        regex = compiled
    }

    deinit {
        cre2_regex_free(regex)
    }

    /// The size of the compiled program (RE2 instructions): what the pattern costs in a set.
    public var programSize: Int { Int(cre2_regex_program_size(regex)) }

    /// Whether the whole of `key` matches.
    public func fullMatch(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cre2_regex_full_match(regex, $0.baseAddress, $0.count) == 1 }
        }
    }

    /// Whether the pattern matches some part of `text` (RE2's `PartialMatch`): `^` and `$` anchor
    /// it to the start and end of `text`.
    public func partialMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cre2_regex_partial_match(regex, $0.baseAddress, $0.count) == 1 }
        }
    }

    /// Checks a pattern without keeping it.
    public static func validate(_ pattern: String) throws(PatternError) {
        _ = try ResourcePattern(pattern)
    }
}

/// The text of a NUL-terminated C buffer.
func cString(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
