import Logging
import PostgresNIO

/// A statement with its bindings and row decoding in one type, run unprepared: PostgreSQL plans it
/// for each call with that call's values and the tables' sizes at the time. Prepared with generic
/// plans (made once per connection from the sizes of that moment, not remade as `delivery_tasks`
/// grows), the attempt batch took about 20 ms per call in the `paced` benchmark instead of 2–3 ms.
protocol BatchStatement: Sendable {
    associatedtype Row
    static var sql: String { get }
    func makeBindings() -> PostgresBindings
    func decodeRow(_ row: PostgresRow) throws -> Row
}

extension PostgresClient {
    /// Runs `statement` and decodes every row it returns.
    func run<Statement: BatchStatement>(_ statement: Statement, logger: Logger) async throws -> [Statement.Row] {
        let rows = try await query(PostgresQuery(unsafeSQL: Statement.sql, binds: statement.makeBindings()), logger: logger)
        var decoded: [Statement.Row] = []
        for try await row in rows { decoded.append(try statement.decodeRow(row)) }
        return decoded
    }
}
