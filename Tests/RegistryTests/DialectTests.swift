import Testing

@testable import RegistryApp

/// The one table from a path to its API dialect, which routing and error envelopes both read.
@Suite struct DialectTests {
    @Test(arguments: [
        ("/api/v1", Dialect.canonical), ("/api/v1/webhooks/7/logs", .canonical), ("/api/v1/tasks/recover", .canonical),
        ("/api/webhooks", .tenantQuery), ("/api/webhooks/delete", .tenantQuery), ("/api/webhooks/tasks", .tenantQuery),
        ("/api/webhooks/tasks/retry", .tenantQuery),
        ("/api/webhooks/", .fastAPIStyle), ("/api/webhooks/7", .fastAPIStyle), ("/api/webhooks/7/toggle", .fastAPIStyle),
        ("/api/webhooks/logs/recent", .fastAPIStyle),
        ("/webhook/api/webhook/create", .bkRepo), ("/webhook/api/log/list/7", .bkRepo),
        // The router skips empty components; so does the table.
        ("/api//webhooks/", .fastAPIStyle), ("/api/webhooks//", .fastAPIStyle), ("//api/webhooks", .tenantQuery),
    ])
    func pathSpeaks(_ path: String, _ dialect: Dialect) {
        #expect(Dialect.of(path: path) == dialect)
    }

    @Test(arguments: ["/", "/api/auth/login", "/healthz", "/openapi.json", "/docs", "/api/v1x", "/api/webhooksx", "/webhook/api"])
    func outsideEveryDialect(_ path: String) {
        #expect(Dialect.of(path: path) == nil)
    }
}
