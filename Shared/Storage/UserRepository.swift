/// The account operations the registry uses. `UserStore` is the PostgreSQL implementation; tests
/// use an in-memory one.
public protocol UserRepository: Sendable {
    /// The account named `username`, if any.
    func find(username: String) async throws(StorageError) -> UserRecord?

    /// Creates the account unless one with that name exists; returns whether it was created.
    @discardableResult
    func createIfMissing(username: String, passwordHash: String, role: String, tenantId: Int64?) async throws(StorageError) -> Bool

    /// Creates an account and returns it.
    /// - Throws: `StorageError.conflict(constraint: StorageConstraint.username)` when the username is taken.
    func create(username: String, passwordHash: String, role: String, tenantId: Int64?) async throws(StorageError) -> UserRecord

    /// Accounts within `scope` (every account for `nil`), by id.
    func list(scope: Int64?) async throws(StorageError) -> [UserRecord]
}
