import TestDoubles
import Testing

/// The in-memory stores against the rules the PostgreSQL stores keep (`RepositoryContract`, run on
/// the real database by `RegistryTests/StoreContractTests`).
@Suite struct InMemoryContractTests {
    @Test func inMemoryStoresKeepTheContract() async throws {
        let database = InMemoryDatabase()
        let problems =
            try await RepositoryContract.webhooks(database.webhooks, tenant: 10)
            + RepositoryContract.users(database.users, prefix: "contract-", tenant: 30)
            + RepositoryContract.portalSessions(database.portalSessions, tenant: 40)
            + RepositoryContract.eventTypes(database.eventTypes, prefix: "contract")
        #expect(problems.isEmpty, "\(problems)")
    }
}
