import Logging
import PostgresNIO

/// A stored account.
public struct UserRecord: Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var passwordHash: String
    public var role: String
    public var tenantId: Int64?

    public init(id: Int64, username: String, passwordHash: String, role: String, tenantId: Int64?) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.role = role
        self.tenantId = tenantId
    }
}

/// Accounts that can log in.
public struct UserStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The account named `username`, if any.
    public func find(username: String) async throws(StorageError) -> UserRecord? {
        try await storage {
            let rows = try await client.query(
                "SELECT id, username, password_hash, role, tenant_id FROM users WHERE username = \(username)", logger: logger)
            for try await (id, name, hash, role, tenant) in rows.decode((Int64, String, String, String, Int64?).self) {
                return UserRecord(id: id, username: name, passwordHash: hash, role: role, tenantId: tenant)
            }
            return nil
        }
    }

    /// Creates the account unless one with that name exists; returns whether it was created.
    @discardableResult
    public func createIfMissing(username: String, passwordHash: String, role: String, tenantId: Int64?) async throws(StorageError) -> Bool {
        try await storage {
            let rows = try await client.query(
                """
                INSERT INTO users (username, password_hash, role, tenant_id)
                VALUES (\(username), \(passwordHash), \(role), \(tenantId))
                ON CONFLICT (username) DO NOTHING RETURNING id
                """, logger: logger)
            for try await _ in rows.decode(Int64.self) { return true }
            return false
        }
    }

    /// Creates an account and returns it.
    /// - Throws: `StorageError.conflict` when the username is taken.
    public func create(username: String, passwordHash: String, role: String, tenantId: Int64?) async throws(StorageError) -> UserRecord {
        try await storage {
            let rows = try await client.query(
                """
                INSERT INTO users (username, password_hash, role, tenant_id)
                VALUES (\(username), \(passwordHash), \(role), \(tenantId))
                RETURNING id, username, password_hash, role, tenant_id
                """, logger: logger)
            for try await (id, name, hash, role, tenant) in rows.decode((Int64, String, String, String, Int64?).self) {
                return UserRecord(id: id, username: name, passwordHash: hash, role: role, tenantId: tenant)
            }
            throw StorageError.failed("insert returned no row")
        }
    }

    /// Accounts within `scope` (every account for `nil`), by id.
    public func list(scope: Int64?) async throws(StorageError) -> [UserRecord] {
        try await storage {
            let rows = try await client.query(
                """
                SELECT id, username, password_hash, role, tenant_id FROM users
                WHERE (\(scope)::bigint IS NULL OR tenant_id = \(scope)) ORDER BY id
                """, logger: logger)
            var users: [UserRecord] = []
            for try await (id, name, hash, role, tenant) in rows.decode((Int64, String, String, String, Int64?).self) {
                users.append(UserRecord(id: id, username: name, passwordHash: hash, role: role, tenantId: tenant))
            }
            return users
        }
    }
}

extension UserStore: UserRepository {}
