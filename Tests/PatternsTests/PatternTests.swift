import Foundation
import Patterns
import Testing

@Suite("Resource key patterns (RE2)")
struct PatternTests {
    @Test func fullMatchSemantics() throws {
        let apk = try ResourcePattern("(.*).apk")
        #expect(apk.fullMatch("/proj/repo/app-1.0.apk"))
        #expect(!apk.fullMatch("/proj/repo/app-1.0.apk.sig"), "the whole key must match, not a part")
        #expect(!apk.fullMatch("app.ipa"))
        #expect(try ResourcePattern("").fullMatch(""))
        #expect(try ResourcePattern("[a-z]+/[0-9]+").fullMatch("abc/123"))
        #expect(try ResourcePattern("é+").fullMatch("éé"), "UTF-8 keys")
    }

    @Test func invalidPatternsSayWhatIsWrong() {
        for bad in ["(unclosed", "a{2,1}", "*start", "[z-a]", "(?<name", String(repeating: "a", count: 2000)] {
            #expect(throws: PatternError.self, "\(bad)") { try ResourcePattern.validate(bad) }
        }
        do {
            try ResourcePattern.validate("(a")
            Issue.record("accepted an invalid pattern")
        } catch {
            #expect(error.reason.contains("missing )"), "\(error.reason)")
        }
    }

    @Test func backtrackingBombsRunInLinearTime() throws {
        // Catastrophic for backtracking engines; RE2 answers at once.
        let bomb = try ResourcePattern("(a+)+$")
        #expect(!bomb.fullMatch(String(repeating: "a", count: 50_000) + "!"))
        #expect(try ResourcePattern("(x+x+)+y").fullMatch(String(repeating: "x", count: 10_000) + "y"))
    }

    @Test func setMatchesEveryPatternInOnePass() throws {
        let patterns = ["(.*).apk", "/proj/.*", "[0-9]+", "(broken", "/proj/repo/app.apk", ".*"]
        let set = PatternSet(patterns)
        #expect(set.invalid.keys.sorted() == [3])
        #expect(set.matches("/proj/repo/app.apk")?.sorted() == [0, 1, 4, 5])
        #expect(set.matches("12345")?.sorted() == [2, 5])
        #expect(set.matches("other")?.sorted() == [5])
        #expect(PatternSet([]).matches("x") == [])
    }

    @Test func setAgreesWithSinglePatternsOnManyKeys() throws {
        let patterns = (0..<500).map { i in i % 3 == 0 ? "/p\(i)/.*" : (i % 3 == 1 ? ".*\\.(apk|ipa)\(i)" : "key-\(i)") }
        let set = PatternSet(patterns)
        let singles = try patterns.map { try ResourcePattern($0) }
        for key in ["/p3/x", "/p300/repo/file", "a.apk1", "b.ipa4", "key-2", "key-5", "nothing", "/p999/x"] {
            let expected = singles.indices.filter { singles[$0].fullMatch(key) }
            #expect(set.matches(key)?.sorted() == expected, "\(key)")
        }
    }

    @Test func partialMatchFindsThePatternAnywhere() throws {
        let fail = try ResourcePattern("fail")
        #expect(fail.partialMatch("job failed"))
        #expect(!fail.partialMatch("job passed"))
        #expect(!fail.fullMatch("job failed"), "the same pattern in full is not found")
        #expect(try !ResourcePattern("^failed$").partialMatch("job failed"), "^ and $ anchor")
        #expect(try ResourcePattern("^failed$").partialMatch("failed"))
        #expect(try ResourcePattern("b$").partialMatch("a\u{0}b"), "the text's length is passed, not its C string")
    }

    @Test func programSizeMeasuresCost() throws {
        #expect(try ResourcePattern("order-[0-9]+").programSize < 50)
        let letter = try ResourcePattern(#"\pL"#).programSize
        #expect(letter > 500, "a Unicode class is a large program")
        #expect(try ResourcePattern(#"\pL{10}"#).programSize > 9 * letter)
    }

    @Test func budgetsNameWhatTheyRefuse() {
        #expect(throws: PatternBudget.Violation.patternTooLarge(size: 20_001)) {
            try PatternBudget.check(size: 20_001, otherCount: 0, otherTotal: 0)
        }
        #expect(throws: PatternBudget.Violation.tooManyPatterns(count: 10_001)) {
            try PatternBudget.check(size: 10, otherCount: 10_000, otherTotal: 0)
        }
        #expect(throws: PatternBudget.Violation.tenantTooLarge(size: 500_001)) {
            try PatternBudget.check(size: 1, otherCount: 5, otherTotal: 500_000)
        }
        #expect(throws: Never.self) { try PatternBudget.check(size: 20_000, otherCount: 9_999, otherTotal: 480_000) }
        #expect(PatternBudget.Violation.tenantTooLarge(size: 1).code == "E_PATTERN_BUDGET_SIZE")
    }

    @Test func aSetOverItsMemorySaysSo() {
        let heavy = (0..<12).map { "b\($0)\\pL{10}" }
        let small = PatternSet(heavy, memory: 1 << 20)
        #expect(!small.isCompiled)
        #expect(small.matches("b1abcdefghij") == nil, "the caller must match one by one")
        let roomy = PatternSet(heavy)
        #expect(roomy.isCompiled)
        #expect(roomy.matches("b1abcdefghij") == [1])
    }
}
