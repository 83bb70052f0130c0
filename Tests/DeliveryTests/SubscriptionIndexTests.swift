import Foundation
import Patterns
import Testing
import WebhookCore

@testable import DeliveryApp

@Suite("Subscription index")
struct SubscriptionIndexTests {
    func webhook(
        _ id: Int64, events: [String], tenant: Int64 = 1, pattern: String? = nil, scope: AssociationType = .system,
        scopeID: String? = nil, status: WebhookStatus = .active
    ) -> Webhook {
        Webhook(
            id: id, tenantId: tenant, url: "https://example.com/\(id)", secret: "s", events: events, resourceKeyPattern: pattern,
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

    /// The index (tenant lists plus one RE2 set pass) and the plain rules applied to every webhook
    /// (with one regex per pattern) agree on random webhooks and events.
    @Test func agreesWithTheRulesOnRandomInput() throws {
        var rng = SystemRandomNumberGenerator()
        let types = ["job.failed", "job.step.done", "alert.triggered", "NODE_CREATED", "user.created"]
        let filters = types + ["job.*", "job.step.*", "*", "alert.*"]
        let patterns = ["/p1/.*", "/p2/r[0-9]+/.*", ".*\\.apk", "(broken", "/p1/r1/app\\.apk", ".*"]
        let keys = ["/p1/r1/app.apk", "/p2/r7/x.ipa", "/p3/y.apk", "/p1/z"]
        for round in 0..<50 {
            var webhooks: [Webhook] = []
            for id in 1...Int64.random(in: 1...60, using: &rng) {
                let scope = [AssociationType.system, .project, .repo].randomElement(using: &rng)!
                webhooks.append(
                    webhook(
                        id, events: (0..<Int.random(in: 1...3, using: &rng)).map { _ in filters.randomElement(using: &rng)! },
                        tenant: Int64.random(in: 1...3, using: &rng), pattern: Bool.random(using: &rng) ? patterns.randomElement(using: &rng) : nil,
                        scope: scope, scopeID: scope == .system ? nil : (scope == .project ? "p1" : "p1:r1"),
                        status: Int.random(in: 0..<8, using: &rng) == 0 ? .disabled : .active))
            }
            let index = SubscriptionIndex(webhooks: webhooks)
            for _ in 0..<40 {
                let scope: AssociationType? = [nil, .project, .repo].randomElement(using: &rng)!
                let e = event(
                    types.randomElement(using: &rng)!, tenant: Bool.random(using: &rng) ? Int64.random(in: 1...3, using: &rng) : nil,
                    key: Bool.random(using: &rng) ? keys.randomElement(using: &rng) : nil, scope: scope,
                    scopeID: scope == nil ? nil : (scope == .project ? "p1" : ["p1:r1", "p2:r1"].randomElement(using: &rng)!))
                let expected = webhooks.filter { w in
                    SubscriptionMatcher.matches(w, e) { pattern, key in (try? ResourcePattern(pattern))?.fullMatch(key) ?? false }
                }.map(\.id).sorted()
                #expect(index.match(e).map(\.id) == expected, "round \(round): \(e.type) tenant \(String(describing: e.tenantId)) key \(e.resourceKey ?? "-")")
            }
        }
    }

    /// One tenant's heavy patterns overflow its own set's budget: that tenant is matched pattern by
    /// pattern (same answers), and every other tenant's set is built and matches as before.
    @Test func tenantsPatternSetsAreBuiltApart() {
        var webhooks = (0..<12).map { webhook(Int64(100 + $0), events: ["NODE_CREATED"], tenant: 2, pattern: "b\($0)\\pL{10}") }
        webhooks.append(webhook(1, events: ["NODE_CREATED"], tenant: 1, pattern: "order-[0-9]+"))
        webhooks.append(webhook(2, events: ["NODE_CREATED"], tenant: 1, pattern: "b3.*"))
        let index = SubscriptionIndex(webhooks: webhooks, patternSetMemory: 1 << 20)
        #expect(index.fallbackTenants == [2], "only the tenant over its budget falls back")
        var fallbacks: [Int64] = []
        #expect(index.match(event("NODE_CREATED", tenant: 1, key: "order-7"), onPatternFallback: { fallbacks.append($0) }).map(\.id) == [1])
        #expect(fallbacks.isEmpty, "tenant 1 is matched by its set")
        #expect(index.match(event("NODE_CREATED", tenant: 2, key: "b3abcdefghij"), onPatternFallback: { fallbacks.append($0) }).map(\.id) == [103])
        #expect(index.match(event("NODE_CREATED", tenant: 2, key: "b3abc")).isEmpty, "fallback still requires a full match")
        #expect(fallbacks == [2])
        // A platform-wide event runs every tenant's patterns.
        #expect(index.match(event("NODE_CREATED", tenant: nil, key: "b3abcdefghij")).map(\.id) == [2, 103])
        // With room enough, nobody falls back and the answers are the same.
        let roomy = SubscriptionIndex(webhooks: webhooks)
        #expect(roomy.fallbackTenants.isEmpty)
        #expect(roomy.match(event("NODE_CREATED", tenant: nil, key: "b3abcdefghij")).map(\.id) == [2, 103])
    }

    /// A quick index defers compiling changed pattern sets: other changes are in it at once, the
    /// changed tenant keeps its previous patterns until the full index is built.
    @Test func deferredCompilingKeepsThePreviousSets() {
        let before = SubscriptionIndex(webhooks: [
            webhook(1, events: ["NODE_CREATED"], tenant: 1, pattern: "a-[0-9]+"),
            webhook(2, events: ["NODE_CREATED"], tenant: 2, pattern: "b-[0-9]+"),
        ])
        let changed = [
            webhook(1, events: ["NODE_CREATED"], tenant: 1, pattern: "a-[0-9]+"),
            webhook(2, events: ["NODE_CREATED"], tenant: 2, pattern: "b-[0-9]+"),
            webhook(3, events: ["NODE_CREATED"], tenant: 2, pattern: "c-[0-9]+"),
            webhook(4, events: ["NODE_CREATED"], tenant: 3, pattern: "d-[0-9]+"),
            webhook(5, events: ["NODE_CREATED"], tenant: 1),
        ]
        let quick = SubscriptionIndex(webhooks: changed, reusing: before, deferCompiling: true)
        #expect(quick.pendingTenants == [2, 3], "tenant 1's patterns did not change")
        #expect(quick.match(event("NODE_CREATED", tenant: 1, key: "x")).map(\.id) == [5], "a plain webhook is in at once")
        #expect(quick.match(event("NODE_CREATED", tenant: 2, key: "b-1")).map(\.id) == [2], "tenant 2's previous set still matches")
        #expect(quick.match(event("NODE_CREATED", tenant: 2, key: "c-1")).isEmpty, "its new pattern waits for the full index")
        #expect(quick.match(event("NODE_CREATED", tenant: 3, key: "d-1")).isEmpty)
        let full = SubscriptionIndex(webhooks: changed, reusing: quick)
        #expect(full.pendingTenants.isEmpty)
        #expect(full.match(event("NODE_CREATED", tenant: 2, key: "c-1")).map(\.id) == [3])
        #expect(full.match(event("NODE_CREATED", tenant: 3, key: "d-1")).map(\.id) == [4])
    }

    /// `webhook(...)` with a payload filter given as JSON text.
    func filtered(_ id: Int64, events: [String] = ["job.failed"], tenant: Int64 = 1, pattern: String? = nil, filter: String) throws -> Webhook {
        var w = webhook(id, events: events, tenant: tenant, pattern: pattern)
        w.filter = try JSONParser.parse(filter)
        return w
    }

    func event(_ type: String, tenant: Int64? = 1, key: String? = nil, data: String) throws -> Event {
        Event(id: "e", type: type, occurredAt: Date(), tenantId: tenant, resourceKey: key, data: try JSONParser.parse(data))
    }

    @Test func aFilterThatHoldsIncludesTheWebhookAndOneThatDoesNotExcludesIt() throws {
        let index = SubscriptionIndex(webhooks: [
            webhook(1, events: ["job.failed"]),
            try filtered(2, filter: #"{"data.attempts": {"$gte": 3}}"#),
            try filtered(3, filter: #"{"data.attempts": {"$lt": 3}}"#),
            try filtered(4, events: ["job.*"], filter: #"{"data.env": {"$in": ["prod", "stage"]}, "tenant_id": 1}"#),
            try filtered(5, pattern: "/prod/.*", filter: #"{"data.env": "prod"}"#),
            try filtered(6, pattern: "/prod/.*", filter: #"{"data.env": "dev"}"#),
        ])
        let failedInProd = try event("job.failed", key: "/prod/app", data: #"{"attempts": 4, "env": "prod"}"#)
        #expect(index.match(failedInProd).map(\.id) == [1, 2, 4, 5])
        let firstTryInDev = try event("job.failed", key: "/dev/app", data: #"{"attempts": 1, "env": "dev"}"#)
        #expect(index.match(firstTryInDev).map(\.id) == [1, 3], "the pattern excludes 6 before its filter is looked at")
        #expect(index.match(try event("job.started", data: #"{"env": "prod"}"#)).map(\.id) == [4], "only the type's webhooks are filtered")
        #expect(index.match(try event("job.failed", tenant: 2, data: #"{"attempts": 9}"#)).isEmpty, "another tenant's event")
        #expect(index.invalidFilters.isEmpty)
        #expect(index.filterWebhookCount == 5)
    }

    @Test func aStoredFilterThatDoesNotCompileMatchesNothing() throws {
        let index = SubscriptionIndex(webhooks: [
            try filtered(1, filter: #"{"status": "failed"}"#),
            try filtered(2, filter: #"{"data.n": {"$bogus": 1}}"#),
            try filtered(3, filter: "{}"),
        ])
        #expect(index.match(try event("job.failed", data: #"{"status": "failed", "n": 1}"#)).map(\.id) == [3], "an empty filter matches every event")
        #expect(index.invalidFilters[1]?.code == "E_FILTER_INVALID_PATH")
        #expect(index.invalidFilters[2]?.code == "E_FILTER_UNKNOWN_OPERATOR")
        #expect(index.invalidFilters.count == 2)
    }

    @Test func unchangedFiltersAreKeptAndChangedOnesCompiledAgain() throws {
        let before = SubscriptionIndex(webhooks: [try filtered(1, filter: #"{"data.n": 1}"#), try filtered(2, filter: #"{"data.n": 1}"#)])
        let after = SubscriptionIndex(
            webhooks: [try filtered(1, filter: #"{"data.n": 1}"#), try filtered(2, filter: #"{"data.n": 2}"#)], reusing: before)
        #expect(after.match(try event("job.failed", data: #"{"n": 1}"#)).map(\.id) == [1])
        #expect(after.match(try event("job.failed", data: #"{"n": 2}"#)).map(\.id) == [2])
    }

    @Test func filtersWithAKeyAreFoundThroughItsValues() throws {
        let index = SubscriptionIndex(webhooks: [
            try filtered(1, filter: #"{"data.account": "acct-1"}"#),
            try filtered(2, filter: #"{"data.account": {"$in": ["acct-2", "acct-3"]}, "data.n": {"$gte": 5}}"#),
            try filtered(3, filter: #"{"data.account": {"$eq": "acct-3"}}"#),
            try filtered(4, filter: #"{"data.tags": "blue"}"#),
            try filtered(5, filter: #"{"data.items.sku": "s-9"}"#),
            try filtered(6, events: ["job.*"], filter: #"{"$or": [{"data.account": "acct-1"}, {"data.n": 1}]}"#),
            try filtered(7, events: ["*"], filter: #"{"data.account": "acct-1", "type": "job.failed"}"#),
            try filtered(8, filter: #"{"data.n": 1, "data.account": {"$in": ["acct-1", 1]}}"#),
        ])
        #expect(index.match(try event("job.failed", data: #"{"account": "acct-1", "n": 1}"#)).map(\.id) == [1, 6, 7, 8])
        #expect(index.match(try event("job.failed", data: #"{"account": "acct-3", "n": 7}"#)).map(\.id) == [2, 3])
        #expect(index.match(try event("job.failed", data: #"{"account": "acct-2", "n": 4}"#)).isEmpty, "the key matched, the rest of the filter did not")
        #expect(index.match(try event("job.failed", data: #"{"tags": ["red", "blue"]}"#)).map(\.id) == [4], "an array with the value")
        #expect(index.match(try event("job.failed", data: #"{"items": [{"sku": "s-1"}, {"sku": "s-9"}]}"#)).map(\.id) == [5])
        #expect(index.match(try event("job.failed", data: #"{"account": 1, "n": 1}"#)).map(\.id) == [6, 8], "a number is not a string key")
        #expect(index.match(try event("job.failed", data: #"{"n": 2}"#)).isEmpty)
        // Member names and values are compared as Unicode scalars: a decomposed "é" is another key.
        let accents = SubscriptionIndex(webhooks: [
            try filtered(1, filter: #"{"data.caf\u00e9": "x"}"#), try filtered(2, filter: #"{"data.cafe\u0301": "x"}"#),
            try filtered(3, filter: #"{"data.name": "caf\u00e9"}"#),
        ])
        #expect(accents.match(try event("job.failed", data: #"{"cafe\u0301": "x"}"#)).map(\.id) == [2])
        #expect(accents.match(try event("job.failed", data: #"{"caf\u00e9": "x", "name": "cafe\u0301"}"#)).map(\.id) == [1])
    }

    @Test func keyedFiltersAgreeWithTestingEveryFilterOnRandomInput() throws {
        var rng = SystemRandomNumberGenerator()
        let values = ["a", "b", "c"]
        for round in 0..<30 {
            var webhooks: [Webhook] = []
            for id in 1...Int64.random(in: 1...40, using: &rng) {
                let document = Self.shape(Int.random(in: 0..<8, using: &rng), values.randomElement(using: &rng)!)
                webhooks.append(try filtered(id, events: [["job.failed", "job.*", "*"].randomElement(using: &rng)!], filter: document))
            }
            let index = SubscriptionIndex(webhooks: webhooks)
            for _ in 0..<30 {
                let k = Bool.random(using: &rng) ? "\"\(values.randomElement(using: &rng)!)\"" : "\(Int.random(in: 0...2, using: &rng))"
                let list = (0..<Int.random(in: 0...2, using: &rng)).map { _ in "\"\(values.randomElement(using: &rng)!)\"" }
                let e = try event("job.failed", data: #"{"k": \#(k), "n": \#(Int.random(in: 0...2, using: &rng)), "list": [\#(list.joined(separator: ","))]}"#)
                let expected = webhooks.filter { w in
                    (try? PayloadFilter.compile(w.filter!))?.matches(e) == true && SubscriptionMatcher.matches(w, e) { _, _ in false }
                }.map(\.id)
                #expect(index.match(e).map(\.id) == expected.sorted(), "round \(round)")
            }
        }
    }

    /// A filter of one of eight shapes, keyed or not, on the value `v`.
    static func shape(_ n: Int, _ v: String) -> String {
        switch n {
        case 0: return #"{"data.k": "\#(v)"}"#
        case 1: return #"{"data.k": {"$in": ["\#(v)", "c"]}}"#
        case 2: return #"{"data.k": "\#(v)", "data.n": {"$lt": 2}}"#
        case 3: return #"{"data.list": "\#(v)"}"#
        case 4: return #"{"data.k": {"$neq": "\#(v)"}}"#
        case 5: return #"{"$or": [{"data.k": "\#(v)"}, {"data.n": 0}]}"#
        case 6: return #"{"data.n": {"$gte": 1}}"#
        default: return "{}"
        }
    }
}
