import Hummingbird

/// `page` / `page_size` query parameters.
public enum Pagination {
    /// Default page size.
    public static let defaultPageSize = 20
    /// Largest page size accepted.
    public static let maximumPageSize = 100

    /// Reads `page` (from 1) and `page_size` (1 to 100); 400 `E_INVALID_PAGINATION` when out of range.
    public static func parse(_ query: Parameters) throws -> (page: Int, pageSize: Int) {
        func value(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = query.get(name) else { return fallback }
            guard let n = Int(text), range.contains(n) else {
                throw APIError.badRequest("E_INVALID_PAGINATION", "'\(name)' must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
        return (
            try value("page", default: 1, range: 1...1_000_000),
            try value("page_size", default: defaultPageSize, range: 1...maximumPageSize)
        )
    }
}
