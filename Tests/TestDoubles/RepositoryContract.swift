import Foundation
import Storage
import WebhookCore

/// The rules of the store protocols that the registry's handlers rely on, checked against any
/// implementation: the PostgreSQL stores (on the test database) and the in-memory ones, so the two
/// cannot drift apart unnoticed. Each check answers what it found wrong (empty: nothing).
public enum RepositoryContract {
    /// Webhooks: create and read back, tenant scoping, newest-first pages with a total, one URL per
    /// tenant (`StorageConstraint.webhookURL`) on create and update, delete, pattern usage.
    /// - Parameters:
    ///   - webhooks: the implementation.
    ///   - tenant: a tenant with no webhooks yet; `tenant + 1` must have none either.
    public static func webhooks(_ webhooks: any WebhookRepository, tenant: Int64) async throws -> [String] {
        var problems: [String] = []
        func expect(_ condition: Bool, _ problem: String) { if !condition { problems.append(problem) } }
        let other = tenant + 1
        func make(_ path: String, tenant: Int64 = tenant, pattern: String? = nil, filter: JSONValue? = nil) -> Webhook {
            Webhook(
                tenantId: tenant, name: path, url: "https://example.com/contract-\(tenant)/\(path)", secret: "s", events: ["job.*"],
                resourceKeyPattern: pattern, filter: filter, createdBy: "contract", updatedBy: "contract")
        }
        // A filter with nesting, an integer beyond 64 bits, a fraction and a non-ASCII name.
        let filter: JSONValue = .object([
            (key: "type", value: .string("job.failed")),
            (key: "data.serial", value: .integer("123456789012345678901234567890")),
            (
                key: "$or",
                value: .array([.object([(key: "data.ratio", value: .object([(key: "$lt", value: .double(0.5))]))]), .object([(key: "data.név", value: .null)])])
            ),
        ])
        let first = try await webhooks.create(make("a", pattern: "a.*", filter: filter))
        let second = try await webhooks.create(make("b"))
        let foreign = try await webhooks.create(make("a", tenant: other))
        expect(first.id > 0 && second.id > first.id, "ids are positive and increase: \(first.id), \(second.id)")
        expect(first.url == make("a").url && first.tenantId == tenant && first.events == ["job.*"], "create answers what it stored")
        expect(foreign.url.hasSuffix("/a"), "another tenant may use its own URLs")
        expect(first.filter == filter && second.filter == nil, "create stores the filter, or none: \(String(describing: first.filter))")

        do {
            _ = try await webhooks.create(make("a"))
            problems.append("a second webhook with the same URL in one tenant was stored")
        } catch {
            expect(isConflict(error, StorageConstraint.webhookURL), "a duplicate URL fails as conflict(\(StorageConstraint.webhookURL)), not \(error)")
        }
        var clash = second
        clash.url = first.url
        do {
            _ = try await webhooks.update(clash, tenantId: tenant)
            problems.append("an update to a URL taken in the tenant was stored")
        } catch {
            expect(isConflict(error, StorageConstraint.webhookURL), "an update to a taken URL fails as conflict(\(StorageConstraint.webhookURL)), not \(error)")
        }

        expect(try await webhooks.get(id: first.id, tenantId: tenant) == first, "get answers the stored webhook")
        expect(try await webhooks.get(id: first.id, tenantId: nil)?.id == first.id, "an operator (nil scope) sees every tenant")
        expect(try await webhooks.get(id: first.id, tenantId: other) == nil, "another tenant's webhook is not found")

        let page1 = try await webhooks.list(WebhookFilter(scope: tenant), page: 1, pageSize: 1)
        let page2 = try await webhooks.list(WebhookFilter(scope: tenant), page: 2, pageSize: 1)
        expect(page1.items.map(\.id) == [second.id] && page2.items.map(\.id) == [first.id], "pages are newest first, one tenant's")
        expect(page1.total == 2 && page2.total == 2, "the total counts every page: \(page1.total)")
        let matching = try await webhooks.list(WebhookFilter(scope: tenant, eventType: "job.failed"), page: 1, pageSize: 10)
        let notMatching = try await webhooks.list(WebhookFilter(scope: tenant, eventType: "environment.created"), page: 1, pageSize: 10)
        expect(matching.total == 2 && notMatching.total == 0, "event_type selects by the webhooks' filters")

        var renamed = first
        renamed.name = "renamed"
        renamed.tenantId = other
        let updated = try await webhooks.update(renamed, tenantId: tenant)
        expect(updated?.name == "renamed" && updated?.tenantId == tenant, "update writes the fields but never moves a webhook to another tenant")
        expect(updated?.filter == filter, "update keeps the filter it is given")
        var unfiltered = second
        unfiltered.filter = nil
        var refiltered = second
        refiltered.filter = .object([(key: "data.n", value: .object([(key: "$gte", value: .integer("3"))]))])
        expect(try await webhooks.update(refiltered, tenantId: tenant)?.filter == refiltered.filter, "update writes a new filter")
        expect(try await webhooks.get(id: second.id, tenantId: tenant)?.filter == refiltered.filter, "a written filter reads back")
        expect(try await webhooks.update(unfiltered, tenantId: tenant)?.filter == nil, "update removes the filter")
        var limited = second
        limited.rateLimit = 7
        limited.maxInFlight = 1
        limited.retrySchedule = [1, 60, 86_400]
        let withPolicy = try await webhooks.update(limited, tenantId: tenant)
        expect(
            withPolicy?.rateLimit == 7 && withPolicy?.maxInFlight == 1 && withPolicy?.retrySchedule == [1, 60, 86_400],
            "update writes the delivery overrides: \(String(describing: withPolicy))")
        let policyRead = try await webhooks.get(id: second.id, tenantId: tenant)
        expect(policyRead?.rateLimit == 7 && policyRead?.maxInFlight == 1 && policyRead?.retrySchedule == [1, 60, 86_400], "written overrides read back")
        expect(first.rateLimit == nil && first.maxInFlight == nil && first.retrySchedule == nil, "a webhook without overrides reads back none")
        var cleared = limited
        (cleared.rateLimit, cleared.maxInFlight, cleared.retrySchedule) = (nil, nil, nil)
        let unlimited = try await webhooks.update(cleared, tenantId: tenant)
        expect(unlimited?.rateLimit == nil && unlimited?.maxInFlight == nil && unlimited?.retrySchedule == nil, "update clears the overrides")
        var createdLimited = make("c")
        (createdLimited.rateLimit, createdLimited.maxInFlight, createdLimited.retrySchedule) = (100_000, 1000, [5])
        let third = try await webhooks.create(createdLimited)
        expect(third.rateLimit == 100_000 && third.maxInFlight == 1000 && third.retrySchedule == [5], "create stores the overrides")
        _ = try await webhooks.delete(id: third.id, tenantId: tenant)
        expect(try await webhooks.update(renamed, tenantId: other) == nil, "another tenant's webhook cannot be updated")

        let usage = try await webhooks.patternUsage(tenantId: tenant, excluding: nil)
        expect(usage.count == 1 && usage.unmeasured == ["a.*"], "a pattern without a stored size is unmeasured: \(usage)")
        try await webhooks.setPatternSize(id: first.id, pattern: "a.*", size: 40)
        let measured = try await webhooks.patternUsage(tenantId: tenant, excluding: nil)
        expect(measured.count == 1 && measured.knownSize == 40 && measured.unmeasured.isEmpty, "a stored size is counted: \(measured)")
        expect(try await webhooks.patternUsage(tenantId: tenant, excluding: first.id).count == 0, "the excluded webhook is not counted")

        expect(try await webhooks.delete(id: first.id, tenantId: other) == nil, "another tenant's webhook cannot be deleted")
        expect(try await webhooks.delete(id: first.id, tenantId: tenant)?.id == first.id, "delete answers the deleted webhook")
        expect(try await webhooks.get(id: first.id, tenantId: nil) == nil, "a deleted webhook is gone")
        expect(try await webhooks.delete(id: first.id, tenantId: tenant) == nil, "deleting twice finds nothing")
        return problems
    }

    /// Users: create, find, one account per name (`StorageConstraint.username`), create-if-missing,
    /// listings by id within a tenant.
    /// - Parameters:
    ///   - users: the implementation.
    ///   - prefix: a username prefix no account has yet.
    ///   - tenant: a tenant with no accounts yet.
    public static func users(_ users: any UserRepository, prefix: String, tenant: Int64) async throws -> [String] {
        var problems: [String] = []
        func expect(_ condition: Bool, _ problem: String) { if !condition { problems.append(problem) } }
        let alice = try await users.create(username: prefix + "alice", passwordHash: "h1", role: "viewer", tenantId: tenant)
        let bob = try await users.create(username: prefix + "bob", passwordHash: "h2", role: "admin", tenantId: tenant)
        expect(alice.username == prefix + "alice" && alice.passwordHash == "h1" && alice.tenantId == tenant, "create answers what it stored")
        expect(try await users.find(username: prefix + "alice") == alice, "find answers the stored account")
        expect(try await users.find(username: prefix + "nobody") == nil, "an unknown name is not found")
        do {
            _ = try await users.create(username: prefix + "alice", passwordHash: "h3", role: "admin", tenantId: nil)
            problems.append("a second account with the same name was stored")
        } catch {
            expect(isConflict(error, StorageConstraint.username), "a duplicate name fails as conflict(\(StorageConstraint.username)), not \(error)")
        }
        expect(
            try await users.createIfMissing(username: prefix + "alice", passwordHash: "h4", role: "admin", tenantId: nil) == false,
            "create-if-missing leaves an existing account")
        expect(try await users.find(username: prefix + "alice")?.passwordHash == "h1", "create-if-missing changed an existing account")
        expect(
            try await users.createIfMissing(username: prefix + "carol", passwordHash: "h5", role: "admin", tenantId: nil),
            "create-if-missing creates a missing account")
        let listed = try await users.list(scope: tenant)
        expect(listed.map(\.id) == [alice.id, bob.id], "a tenant's listing holds its accounts by id, no tenant-less ones")
        expect(try await users.list(scope: nil).contains { $0.username == prefix + "carol" }, "the operator's listing holds every account")
        return problems
    }

    static func isConflict(_ error: any Error, _ constraint: String) -> Bool {
        if case .conflict(let found)? = error as? StorageError { return found == constraint }
        return false
    }
}
