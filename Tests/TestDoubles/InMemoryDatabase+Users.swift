import Storage

extension InMemoryDatabase {
    func findUser(username: String) throws(StorageError) -> UserRecord? {
        try check()
        return userRows.values.first { $0.username == username }
    }

    func createUser(username: String, passwordHash: String, role: String, tenantId: Int64?) throws(StorageError) -> UserRecord {
        try check()
        guard try findUser(username: username) == nil else { throw .conflict(constraint: StorageConstraint.username) }
        let user = UserRecord(id: nextID(), username: username, passwordHash: passwordHash, role: role, tenantId: tenantId)
        userRows[user.id] = user
        return user
    }

    func listUsers(scope: Int64?) throws(StorageError) -> [UserRecord] {
        try check()
        // As `tenant_id = scope` in SQL: a scoped listing never shows tenant-less accounts.
        return userRows.values.filter { user in scope.map { user.tenantId == $0 } ?? true }.sorted { $0.id < $1.id }
    }
}

/// `UserRepository` over an `InMemoryDatabase`.
public struct InMemoryUserRepository: UserRepository {
    let database: InMemoryDatabase

    public func find(username: String) async throws(StorageError) -> UserRecord? { try await database.findUser(username: username) }

    @discardableResult
    public func createIfMissing(username: String, passwordHash: String, role: String, tenantId: Int64?) async throws(StorageError) -> Bool {
        do throws(StorageError) {
            _ = try await database.createUser(username: username, passwordHash: passwordHash, role: role, tenantId: tenantId)
            return true
        } catch {
            if case .conflict = error { return false }
            throw error
        }
    }

    public func create(username: String, passwordHash: String, role: String, tenantId: Int64?) async throws(StorageError) -> UserRecord {
        try await database.createUser(username: username, passwordHash: passwordHash, role: role, tenantId: tenantId)
    }

    public func list(scope: Int64?) async throws(StorageError) -> [UserRecord] { try await database.listUsers(scope: scope) }
}
