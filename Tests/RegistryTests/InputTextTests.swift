import Testing

@testable import ServiceKit

/// The NUL check on request bodies cannot be stepped around with a body its parser refuses (one
/// nested deeper than it reads, say) that a more lenient decoder would still accept.
@Suite struct InputTextTests {
    @Test func aBodyWithNULThatDoesNotParseIsRefused() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let body = Array(#"{"name": "a\u0000b", "pad": \#(deep)}"#.utf8)
        #expect(throws: APIError.self) { try InputText.checkBody(body) }
        #expect(throws: APIError.self) { try InputText.checkBody(Array(#"{"name": "a\u0000b"}"#.utf8)) }
        #expect(throws: Never.self) { try InputText.checkBody(Array(#"{"name": "ab", "pad": \#(deep)}"#.utf8)) }
    }
}
