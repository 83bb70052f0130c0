import Logging
import PostgresNIO

/// A statement of the delivery engine's hot path (the event and the attempt batch), with its
/// bindings and row decoding in one type.
///
/// On `Database.batchClient` it runs prepared, planned once per connection: planning these
/// statements anew for each call cost 0.5–1 ms, the larger part of PostgreSQL's work when batches
/// are small. A plan made once must not go stale as the tables grow, which a generic plan made from
/// the sizes of its moment did (a sequential scan of `delivery_tasks` chosen while it was small: the
/// attempt batch then took about 20 ms per call). So those connections run with `BatchPlanning`'s
/// settings, under which every table these statements touch is read through its indexes, whatever
/// its size; nothing else uses them. Without a batch client a statement runs unprepared on the main
/// client, planned for each call.
protocol BatchStatement: PostgresPreparedStatement {
    static var sql: String { get }
    func makeBindings() -> PostgresBindings
    func decodeRow(_ row: PostgresRow) throws -> Row
}

/// The server settings of `Database.batchClient`'s connections.
enum BatchPlanning {
    static let settings: [(String, String)] = [
        // One plan per statement and connection, made at its first call: no per-call planning.
        ("plan_cache_mode", "force_generic_plan"),
        // Keeps that plan on the indexes as the tables grow (the statements look rows up by key).
        ("enable_seqscan", "off"),
    ]
}

extension PostgresClient {
    /// Runs `statement` unprepared and decodes every row it returns.
    func run<Statement: BatchStatement>(_ statement: Statement, logger: Logger) async throws -> [Statement.Row] {
        let rows = try await query(PostgresQuery(unsafeSQL: Statement.sql, binds: statement.makeBindings()), logger: logger)
        var decoded: [Statement.Row] = []
        for try await row in rows { decoded.append(try statement.decodeRow(row)) }
        return decoded
    }
}
