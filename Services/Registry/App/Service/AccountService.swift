import ServiceKit
import Storage

/// Accounts for the routes: logging in, creating and listing users, and the bootstrap admin.
/// Passwords are hashed here; only hashes reach the store.
struct AccountService: Sendable {
    let users: any UserRepository
    let passwords: PasswordHasher

    /// The identity of `username` when `password` is its password (and its role is known), else `nil`.
    func authenticate(username: String, password: String) async throws -> Identity? {
        guard let user = try await storeCall({ try await users.find(username: username) }),
            try await passwords.verify(password, hash: user.passwordHash),
            let role = Role(rawValue: user.role)
        else {
            return nil
        }
        return Identity(subject: user.username, role: role, tenantId: user.tenantId)
    }

    /// Creates an account; 409 `E_USER_EXISTS` when the name is taken.
    func create(username: String, password: String, role: Role, tenantId: Int64?) async throws -> UserRecord {
        let hash = try await passwords.hash(password)
        do throws(StorageError) {
            return try await users.create(username: username, passwordHash: hash, role: role.rawValue, tenantId: tenantId)
        } catch {
            if case .conflict = error { throw APIError.conflict("E_USER_EXISTS", "a user named '\(username)' already exists") }
            throw APIError.from(error)
        }
    }

    /// Accounts within `scope` (every account for `nil`), by id.
    func list(scope: Int64?) async throws -> [UserRecord] {
        try await storeCall { try await users.list(scope: scope) }
    }

    /// Creates the account unless one named `username` exists; returns whether it was created.
    func createIfMissing(username: String, password: String, role: Role, tenantId: Int64?) async throws -> Bool {
        let hash = try await passwords.hash(password)
        return try await users.createIfMissing(username: username, passwordHash: hash, role: role.rawValue, tenantId: tenantId)
    }
}
