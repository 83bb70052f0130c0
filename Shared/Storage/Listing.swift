import Logging
import PostgresNIO

extension PostgresClient {
    /// One page of a listing, newest first by `order`, and the total count of what it selects.
    /// - Parameters:
    ///   - columns: what a row holds (`SELECT <columns>`); `decode` reads it.
    ///   - order: the `ORDER BY` clause.
    ///   - page: 1-based page number; `pageSize` rows a page.
    ///   - selection: the statement for `SELECT <what>` followed by `tail` (fixed SQL), with the
    ///     listing's filter bound in between; called once for the page and once for the count.
    func listPage<Item>(
        columns: String, order: String, page: Int, pageSize: Int, logger: Logger,
        selection: (_ what: String, _ tail: String) -> PostgresQuery, decode: (PostgresRow) throws -> Item
    ) async throws(StorageError) -> (items: [Item], total: Int) {
        try await storage {
            let offset = (page - 1) * pageSize
            var items: [Item] = []
            for try await row in try await query(selection(columns, "\(order) LIMIT \(pageSize) OFFSET \(offset)"), logger: logger) {
                items.append(try decode(row))
            }
            var total = 0
            for try await n in try await query(selection("count(*)", ""), logger: logger).decode(Int.self) { total = n }
            return (items, total)
        }
    }
}
