import Foundation
import Storage
import Testing
import WebhookCore

/// `GET /api/v1/events` over in-memory stores: a tenant's stored events, newest arrival first, by
/// type, resource key and time of arrival, in pages.
@Suite struct EventListHandlerTests {
    /// Five events of tenant A a minute apart (the last the newest), one of tenant B, one without a
    /// tenant.
    func addEvents(_ r: Registry) async -> Date {
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        for n in 0..<5 {
            let at = start.addingTimeInterval(Double(n) * 60)
            await r.database.addEvent(
                EventRecord(
                    id: "evt_a\(n)", type: n.isMultiple(of: 2) ? "job.failed" : "job.completed", tenantId: Registry.tenantA,
                    resourceKey: n < 3 ? "project/api" : "project/web", occurredAt: at, receivedAt: at, payload: #"{"n": \#(n)}"#))
        }
        await r.database.addEvent(
            EventRecord(
                id: "evt_b0", type: "job.failed", tenantId: Registry.tenantB, resourceKey: "project/api", occurredAt: start, receivedAt: start,
                payload: "{}"))
        await r.database.addEvent(
            EventRecord(id: "evt_sys", type: "system.notice", tenantId: nil, resourceKey: nil, occurredAt: start, receivedAt: start, payload: "{}"))
        return start
    }

    func ids(_ reply: Reply) -> [String] { reply.items.compactMap { $0["id"] as? String } }

    @Test func aTenantListsItsOwnEventsNewestFirst() async throws {
        try await Registry.run { r in
            _ = await addEvents(r)
            for token in [r.adminA, r.viewerA] {
                let reply = try await r.send(.get, "/api/v1/events", token: token)
                #expect(reply.status == 200, "\(reply)")
                #expect(ids(reply) == ["evt_a4", "evt_a3", "evt_a2", "evt_a1", "evt_a0"])
                #expect((reply.data["pagination"] as? [String: Any])?["total"] as? Int == 5)
                let first = reply.items.first ?? [:]
                #expect(first["type"] as? String == "job.failed")
                #expect(first["tenant_id"] as? Int == Int(Registry.tenantA))
                #expect(first["resource_key"] as? String == "project/web")
                #expect((first["data"] as? [String: Any])?["n"] as? Int == 4)
                #expect(first["received_at"] as? String != nil && first["occurred_at"] as? String != nil)
            }
            let b = try await r.send(.get, "/api/v1/events", token: r.adminB)
            #expect(ids(b) == ["evt_b0"], "tenant B sees its own event only")
        }
    }

    @Test func filtersAndPages() async throws {
        try await Registry.run { r in
            let start = await addEvents(r)
            let failed = try await r.send(.get, "/api/v1/events?type=job.failed", token: r.adminA)
            #expect(ids(failed) == ["evt_a4", "evt_a2", "evt_a0"])
            let web = try await r.send(.get, "/api/v1/events?resource_key=project/web", token: r.adminA)
            #expect(ids(web) == ["evt_a4", "evt_a3"])
            let since = Timestamp.format(start.addingTimeInterval(60)), until = Timestamp.format(start.addingTimeInterval(180))
            let range = try await r.send(.get, "/api/v1/events?since=\(since)&until=\(until)", token: r.adminA)
            #expect(ids(range) == ["evt_a2", "evt_a1"], "since included, until not")
            let page2 = try await r.send(.get, "/api/v1/events?page=2&page_size=2", token: r.adminA)
            #expect(ids(page2) == ["evt_a2", "evt_a1"])
            #expect((page2.data["pagination"] as? [String: Any])?["total_pages"] as? Int == 3)
            let none = try await r.send(.get, "/api/v1/events?type=job.failed&resource_key=project/none", token: r.adminA)
            #expect(none.status == 200 && ids(none).isEmpty)
        }
    }

    @Test func operatorsNameTheTenantAndBadQueriesAreRefused() async throws {
        try await Registry.run { r in
            _ = await addEvents(r)
            let ofA = try await r.send(.get, "/api/v1/events?tenant_id=\(Registry.tenantA)&page_size=1", token: r.root)
            #expect(ids(ofA) == ["evt_a4"])
            let tenantLess = try await r.send(.get, "/api/v1/events", token: r.root)
            #expect(ids(tenantLess) == ["evt_sys"], "without tenant_id an operator lists tenant-less events")
            let other = try await r.send(.get, "/api/v1/events?tenant_id=\(Registry.tenantB)", token: r.adminA)
            #expect(other.status == 403, "\(other)")
            let badTime = try await r.send(.get, "/api/v1/events?since=yesterday", token: r.adminA)
            #expect(badTime.status == 400 && badTime.code == "E_INVALID_QUERY")
            let backwards = try await r.send(.get, "/api/v1/events?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", token: r.adminA)
            #expect(backwards.status == 400 && backwards.code == "E_INVALID_QUERY")
            let badPage = try await r.send(.get, "/api/v1/events?page_size=1000", token: r.adminA)
            #expect(badPage.status == 400 && badPage.code == "E_INVALID_PAGINATION")
            let publisher = try await r.send(.get, "/api/v1/events", token: r.publisherA)
            #expect(publisher.status == 403)
            let anonymous = try await r.send(.get, "/api/v1/events")
            #expect(anonymous.status == 401)
        }
    }
}
