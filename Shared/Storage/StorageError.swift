import PostgresNIO

/// A storage failure the API can explain.
public enum StorageError: Error, Sendable, CustomStringConvertible {
    /// PostgreSQL is unreachable (`E_DB_UNAVAILABLE`).
    case unavailable(String)
    /// A uniqueness rule was broken, e.g. the same URL twice for one tenant.
    case conflict(constraint: String)
    /// Any other database error.
    case failed(String)

    public var description: String {
        switch self {
        case .unavailable(let m): "database unavailable: \(m)"
        case .conflict(let c): "conflict on \(c)"
        case .failed(let m): "database error: \(m)"
        }
    }

    /// Classifies an error thrown by PostgresNIO.
    public static func from(_ error: any Error) -> StorageError {
        if let e = error as? StorageError { return e }
        guard let psql = error as? PSQLError else {
            // The pool's own errors (no connection could be made, circuit breaker tripped, ...) mean
            // the server is not reachable; the type is internal to PostgresNIO, so match its name.
            if String(reflecting: type(of: error)).contains("ConnectionPoolError") { return .unavailable(String(describing: error)) }
            return .failed(String(reflecting: error))
        }
        if let server = psql.serverInfo {
            if server[.sqlState] == "23505" { return .conflict(constraint: server[.constraintName] ?? "unique") }
            // 57P01 admin_shutdown, 57P03 cannot_connect_now, 08xxx connection exceptions.
            if let state = server[.sqlState], state.hasPrefix("08") || state == "57P01" || state == "57P03" {
                return .unavailable(server[.message] ?? state)
            }
            return .failed("\(server[.sqlState] ?? "?") \(server[.message] ?? "")")
        }
        return .unavailable(String(reflecting: psql.code))
    }
}

/// Runs a database operation, classifying its failure.
@inlinable
public func storage<T>(_ body: () async throws -> T) async throws(StorageError) -> T {
    do {
        return try await body()
    } catch {
        throw StorageError.from(error)
    }
}
