import PostgresNIO

/// Where PostgreSQL's time goes during a scenario: execution time and calls per statement, from
/// `pg_stat_statements` before and after (the benchmark's own polling excluded).
struct StatementProfile {
    struct Statement {
        var calls: Int64
        var milliseconds: Double
        var text: String
    }

    let statements: [Int64: Statement]

    static func snapshot(_ database: PostgresClient) async throws -> StatementProfile {
        let rows = try await database.query(
            """
            SELECT queryid, calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) FROM pg_stat_statements
            WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%/* bench */%' /* bench */
            """)
        var statements: [Int64: Statement] = [:]
        for try await (id, calls, ms, text) in rows.decode((Int64, Int64, Double, String).self) {
            statements[id] = Statement(calls: calls, milliseconds: ms, text: text)
        }
        return StatementProfile(statements: statements)
    }

    /// The `top` statements by execution time since `before`, as µs per unit of work and calls.
    func top(_ count: Int, since before: StatementProfile, units: Int) -> [String] {
        let deltas = statements.map { id, now -> Statement in
            let then = before.statements[id]
            return Statement(calls: now.calls - (then?.calls ?? 0), milliseconds: now.milliseconds - (then?.milliseconds ?? 0), text: now.text)
        }
        let total = deltas.reduce(0) { $0 + $1.milliseconds }
        var lines = [String(format: "database execution time: %.0f µs per unit in all", total * 1000 / Double(max(units, 1)))]
        for s in deltas.sorted(by: { $0.milliseconds > $1.milliseconds }).prefix(count) where s.calls > 0 {
            lines.append(String(format: "  %6.0f µs per unit, %7lld calls: %@", s.milliseconds * 1000 / Double(max(units, 1)), s.calls, s.text))
        }
        return lines
    }
}
