import Foundation
import TestSupport
import Testing

@testable import WebhookCore

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    /// Documents covering nesting, unicode, escapes and every kind of number.
    static let documents: [String] = [
        #"{"b": 1, "a": [1, 2, {"d": null, "c": true}], "z": false}"#,
        #"{"text": "caf\u00e9 \u4e2d\u6587 😀 \"quoted\" back\\slash / tab\t nl\n cr\r ff\f bs\b", "ctl": "\u0001\u001f\u007f"}"#,
        #"{"unicode keys": {"é": 1, "e": 2, "z": 3, "Z": 4, "中": 5, "😀": 6, "\uffff": 7}}"#,
        #"{"ints": [0, -0, 1, -1, 12345678901234567890123, -9223372036854775808, 9223372036854775807]}"#,
        #"{"floats": [0.0, -0.0, 1.0, 1.5, -2.25, 0.1, 0.0001, 0.00001, 1e16, 1e15, 123456789012345678.0, 1.7976931348623157e308, 5e-324, 1E400, -1e400, 2.5e-7, 1e22, 9007199254740993.0, 3.141592653589793]}"#,
        #"{"nested": {"deep": {"deeper": [[[], {}], [{"k": "v"}]]}}, "empty": "", "arr": []}"#,
        #"{"surrogates": "\ud83d\ude00", "mixed": "a\u00e9b\u0000c"}"#,
        #"[1, "two", 3.0, null, true, {"x": [1.25e-10]}]"#,
    ]

    @Test("byte-identical to Python's json.dumps(obj, sort_keys=True)", arguments: documents)
    func matchesPython(_ document: String) throws {
        let ours = CanonicalJSON.encode(try JSONParser.parse(document))
        let python = try PythonOracle.run(
            "import json,sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), sort_keys=True))", input: Array(document.utf8))
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: python, as: UTF8.self))
    }

    @Test func floatReprMatchesPythonOnManyValues() throws {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [1e-5, 1e-4, 9.999e-5, 1e15, 9.999999999999998e15, 1e16, 1.2345e16, 100.0, 1234.5, 0.5]
        for _ in 0..<300 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &generator)
            let d = Double(bitPattern: bits)
            if d.isFinite { values.append(d) }
            values.append(Double.random(in: -1e6...1e6, using: &generator))
        }
        let ours = values.map { PythonFloat.repr($0) }.joined(separator: "\n")
        let input = values.map { String($0.bitPattern) }.joined(separator: "\n")
        let python = try PythonOracle.run(
            "import sys,struct; print('\\n'.join(repr(struct.unpack('<d', struct.pack('<Q', int(l)))[0]) for l in sys.stdin.read().split()), end='')",
            input: Array(input.utf8))
        let expected = String(decoding: python, as: UTF8.self)
        let oursLines = ours.split(separator: "\n"), theirLines = expected.split(separator: "\n")
        #expect(oursLines.count == theirLines.count)
        for (a, b) in zip(oursLines, theirLines) where a != b {
            Issue.record("float repr differs: ours \(a), python \(b)")
        }
    }

    @Test func parserRejectsMalformedDocuments() {
        let bad = ["", "{", "{\"a\" 1}", "[1,]", "01", "1.", "\"\\x\"", "\"\u{01}\"", "{\"a\":1}x", "nul", "\"\\ud800\"", "-", "1e"]
        for text in bad {
            #expect(throws: JSONParseError.self, "should reject \(text)") { try JSONParser.parse(text) }
        }
    }

    @Test func parserLimitsNesting() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func duplicateKeysKeepTheLastValueLikePython() throws {
        let value = try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(CanonicalJSON.string(value) == #"{"a": 3, "b": 2}"#)
    }
}
