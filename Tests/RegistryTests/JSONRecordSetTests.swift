import Foundation
import Logging
import PostgresNIO
import Testing

@testable import Storage

/// The batch statements' parameter, read back by PostgreSQL itself.
@Suite struct JSONRecordSetTests {
    @Test func postgresReadsBackEveryTextAsWritten() async throws {
        let texts = [
            "", "plain", #"quote " and backslash \ and slash /"#, "line\nbreak\r\ttab", "\u{1}\u{1F}\u{7F}",
            "é ü 中文 😀 \u{2028}", String(repeating: "x", count: 5000) + "\"", "nul\u{0}inside",
        ]
        var records = JSONRecordSet()
        for (n, text) in texts.enumerated() {
            records.beginRecord()
            records.field("n", n)
            records.field("text", text)
            records.field("headers", ["k\"ey": text])
            records.endRecord()
        }
        let input = records.finish()
        let rows: [(Int, String, String)] = try await Fixtures.withDatabase { client in
            var rows: [(Int, String, String)] = []
            for try await row in try await client.query(
                """
                SELECT n, text, headers->>'k"ey' FROM jsonb_to_recordset(\(input)::jsonb) AS x(n int, text text, headers jsonb) ORDER BY n
                """, logger: Logger(label: "test")
            ).decode((Int, String, String).self) {
                rows.append(row)
            }
            return rows
        }
        let expected = texts.map { $0.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }
        #expect(rows.map(\.0) == Array(texts.indices))
        #expect(rows.map(\.1) == expected)
        #expect(rows.map(\.2) == expected)
    }

    /// The NUL scan of every text bound (`memchr` on contiguous UTF-8) finds what a byte loop finds.
    @Test func everyNULIsFoundAndReplaced() {
        let texts = [
            "", "a", "\u{0}", "abc\u{0}", "\u{0}abc", "no nul here 😀", String(repeating: "é", count: 3000) + "\u{0}",
            String(repeating: "x", count: 4096), String(Substring("xx\u{0}yy").dropFirst()),
        ]
        for text in texts {
            #expect(holdsNUL(text) == text.utf8.contains(0), "\(text.utf8.count) bytes")
            #expect(storable(text) == text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}"))
        }
    }
}
