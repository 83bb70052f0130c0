import Foundation
import Testing

@testable import WebhookCore

@Suite("Matching")
struct MatchingTests {
    @Test func eventTypeFilters() {
        #expect(EventTypeFilter.matches("*", type: "anything.at.all"))
        #expect(EventTypeFilter.matches("job.*", type: "job.failed"))
        #expect(EventTypeFilter.matches("job.*", type: "job.step.failed"))
        #expect(!EventTypeFilter.matches("job.*", type: "jobs.failed"))
        #expect(!EventTypeFilter.matches("job.*", type: "job"))
        #expect(EventTypeFilter.matches("NODE_CREATED", type: "NODE_CREATED"))
        #expect(!EventTypeFilter.matches("NODE_CREATED", type: "NODE_CREATED_X"))
        #expect(EventTypeFilter.isValid("job.*") && EventTypeFilter.isValid("*") && !EventTypeFilter.isValid("job.**") && !EventTypeFilter.isValid(""))
    }

    func event(_ type: String = "NODE_CREATED", tenant: Int64? = 1, scope: AssociationType? = nil, id: String? = nil, key: String? = nil) -> Event {
        Event(id: "e", type: type, occurredAt: Date(), tenantId: tenant, associationType: scope, associationId: id, resourceKey: key)
    }

    func webhook(
        _ scope: AssociationType = .system, id: String? = nil, pattern: String? = nil, tenant: Int64 = 1,
        status: WebhookStatus = .active, events: [String] = ["NODE_CREATED"]
    ) -> Webhook {
        Webhook(
            tenantId: tenant, url: "https://x", secret: "s", events: events, resourceKeyPattern: pattern,
            associationType: scope, associationId: id, status: status)
    }

    let anyPattern: (String, String) -> Bool = { pattern, key in key.hasSuffix(pattern) }

    @Test func scopes() {
        #expect(SubscriptionMatcher.matches(webhook(), event(scope: .repo, id: "p:r"), patternMatches: anyPattern))
        #expect(SubscriptionMatcher.matches(webhook(.project, id: "p"), event(scope: .repo, id: "p:r"), patternMatches: anyPattern))
        #expect(SubscriptionMatcher.matches(webhook(.project, id: "p"), event(scope: .project, id: "p"), patternMatches: anyPattern))
        #expect(!SubscriptionMatcher.matches(webhook(.project, id: "p"), event(scope: .repo, id: "px:r"), patternMatches: anyPattern))
        #expect(!SubscriptionMatcher.matches(webhook(.project, id: "p"), event(), patternMatches: anyPattern))
        #expect(SubscriptionMatcher.matches(webhook(.repo, id: "p:r"), event(scope: .repo, id: "p:r"), patternMatches: anyPattern))
        #expect(!SubscriptionMatcher.matches(webhook(.repo, id: "p:r"), event(scope: .repo, id: "p:r2"), patternMatches: anyPattern))
        #expect(!SubscriptionMatcher.matches(webhook(.repo, id: "p:r"), event(scope: .project, id: "p"), patternMatches: anyPattern))
    }

    @Test func tenantsStatusAndPatterns() {
        #expect(!SubscriptionMatcher.matches(webhook(tenant: 2), event(tenant: 1), patternMatches: anyPattern))
        #expect(SubscriptionMatcher.matches(webhook(tenant: 2), event(tenant: nil), patternMatches: anyPattern))
        #expect(!SubscriptionMatcher.matches(webhook(status: .disabled), event(), patternMatches: anyPattern))
        #expect(!SubscriptionMatcher.matches(webhook(events: ["job.*"]), event(), patternMatches: anyPattern))
        #expect(SubscriptionMatcher.matches(webhook(pattern: ".apk"), event(key: "a/b.apk"), patternMatches: anyPattern))
        #expect(!SubscriptionMatcher.matches(webhook(pattern: ".apk"), event(key: "a/b.ipa"), patternMatches: anyPattern))
        #expect(!SubscriptionMatcher.matches(webhook(pattern: ".apk"), event(key: nil), patternMatches: anyPattern))
    }

    @Test func urlValidation() {
        #expect(throws: Never.self) { try WebhookValidation.validateURL("https://example.com/hook?x=1") }
        for bad in ["", "ftp://example.com", "https://user:pw@example.com", "example.com/hook", "http://"] {
            #expect(throws: WebhookValidationError.self, "\(bad)") { try WebhookValidation.validateURL(bad) }
        }
    }
}
