import TestDoubles
import Testing

/// The PostgreSQL stores against the rules the in-memory stores of the handler tests follow
/// (`RepositoryContract`): what the fast tests assume of storage holds on the real database.
@Suite struct StoreContractTests {
    @Test func postgresStoresKeepTheContract() async throws {
        try await ScratchDatabase.with { database, _ in
            let problems =
                try await RepositoryContract.webhooks(database.webhooks, tenant: 10)
                + RepositoryContract.users(database.users, prefix: "contract-", tenant: 30)
                + RepositoryContract.portalSessions(database.portalSessions, tenant: 40)
                + RepositoryContract.eventTypes(database.eventTypes, prefix: "contract")
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
