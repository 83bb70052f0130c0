import Foundation
import Testing
import WebhookCore
@testable import DeliveryApp

@Suite("Subscription index")
struct SubscriptionIndexTests {
    func webhook(_ id: Int64, events: [String], tenant: Int64 = 1, pattern: String? = nil, scope: AssociationType = .system,
                 scopeID: String? = nil, status: WebhookStatus = .active) -> Webhook {
        Webhook(id: id, tenantId: tenant, url: "https://example.com/\(id)", secret: "s", events: events, resourceKeyPattern: pattern,
                associationType: scope, associationId: scopeID, status: status)
    }

    func event(_ type: String, tenant: Int64? = 1, key: String? = nil, scope: AssociationType? = nil, scopeID: String? = nil) -> Event {
        Event(id: "e", type: type, occurredAt: Date(), tenantId: tenant, associationType: scope, associationId: scopeID, resourceKey: key)
    }

    @Test func matchesExactPrefixAndWildcardFilters() {
        let index = SubscriptionIndex(webhooks: [
            webhook(1, events: ["job.failed"]), webhook(2, events: ["job.*"]), webhook(3, events: ["*"]),
            webhook(4, events: ["job.step.*"]), webhook(5, events: ["alert.triggered"]), webhook(6, events: ["job.failed"], status: .disabled),
        ])
        #expect(index.match(event("job.failed")).map(\.id) == [1, 2, 3])
        #expect(index.match(event("job.step.done")).map(\.id) == [2, 3, 4])
        #expect(index.match(event("alert.triggered")).map(\.id) == [3, 5])
        #expect(index.match(event("NODE_CREATED")).map(\.id) == [3])
        #expect(index.count == 5)
    }

    @Test func appliesTenantScopeAndPatterns() {
        let index = SubscriptionIndex(webhooks: [
            webhook(1, events: ["NODE_CREATED"], pattern: "(.*).apk"),
            webhook(2, events: ["NODE_CREATED"], pattern: "/p/r/.*", scope: .repo, scopeID: "p:r"),
            webhook(3, events: ["NODE_CREATED"], tenant: 2),
            webhook(4, events: ["NODE_CREATED"], pattern: "(broken"),
            webhook(5, events: ["NODE_CREATED"], scope: .project, scopeID: "p"),
        ])
        #expect(index.match(event("NODE_CREATED", key: "/p/r/app.apk", scope: .repo, scopeID: "p:r")).map(\.id) == [1, 2, 5])
        #expect(index.match(event("NODE_CREATED", key: "/p/r/app.ipa", scope: .repo, scopeID: "p:r")).map(\.id) == [2, 5])
        #expect(index.match(event("NODE_CREATED", key: "x.apk")).map(\.id) == [1])
        #expect(index.match(event("NODE_CREATED", tenant: nil, key: "x.apk")).map(\.id) == [1, 3], "a platform-wide event reaches every tenant")
        #expect(index.match(event("NODE_CREATED", tenant: 2)).map(\.id) == [3])
    }

    @Test func tenThousandPatternsMatchInOnePass() {
        var webhooks: [Webhook] = []
        for i in 0..<10_000 {
            webhooks.append(webhook(Int64(i + 1), events: ["NODE_CREATED"], pattern: "/project-\(i % 500)/repo-\(i)/.*\\.(apk|ipa)"))
        }
        let index = SubscriptionIndex(webhooks: webhooks)
        let matched = index.match(event("NODE_CREATED", key: "/project-42/repo-542/build/app.apk"))
        #expect(matched.map(\.id) == [543])
        #expect(index.match(event("NODE_CREATED", key: "/project-42/repo-542/build/app.zip")).isEmpty)
    }
}
