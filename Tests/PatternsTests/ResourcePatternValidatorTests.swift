import Patterns
import Testing

/// The pattern check delivery's engine relies on: RE2 syntax only, errors with their position.
@Suite struct ResourcePatternValidatorTests {
    @Test(arguments: [
        "(.*).apk", "^repo/[a-z0-9_-]+/.*\\.jar$", "a|b|c", "x{2,5}", "(?i)readme", "(?:a|b)+?", "\\d+\\.\\d+",
        "a{3}", "a{,3}", "(?P<name>x)", "[[:alpha:]]+",
    ])
    func accepts(_ pattern: String) throws {
        try ResourcePatternValidator.validate(pattern)
    }

    @Test(arguments: [
        ("(a", 1), ("a)", 2), ("[abc", 1), ("*a", 1), ("a**", 3), ("a++", 3), ("(a)\\1", 4), ("ab(?=c)", 3), ("(?<!x)y", 1),
        ("(?>a)", 1), ("x{1001}", 2), ("x{5,2}", 2), ("abc\\", 4), ("a|*", 3), ("", 1), ("a\\Z", 2),
    ])
    func rejects(_ pattern: String, at position: Int) {
        #expect(throws: ResourcePatternError.self) { try ResourcePatternValidator.validate(pattern) }
        do {
            try ResourcePatternValidator.validate(pattern)
        } catch {
            #expect(error.position == position, "\(pattern): \(error)")
        }
    }
}
