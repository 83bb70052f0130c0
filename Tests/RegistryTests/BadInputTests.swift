import Foundation
import TestSupport
import Testing

/// Every kind of bad input gets a clear error with a stable code.
@Suite struct BadInputTests {
    @Test func createAndUpdateRejectBadInput() async throws {
        try await Harness.run { h in
            let token = h.callers.adminA
            let hooks = "/api/v1/webhooks"
            let cases: [(body: String, status: Int, code: String)] = [
                ("{not json", 400, "E_INVALID_JSON"),
                ("[1, 2]", 400, "E_INVALID_JSON"),
                ("", 400, "E_INVALID_JSON"),
                (#"{"url": 5, "events": ["a"]}"#, 400, "E_WRONG_TYPE"),
                (#"{"url": "https://x.example/a", "events": "a"}"#, 400, "E_WRONG_TYPE"),
                (#"{"url": "https://x.example/a", "events": ["a"], "enabled": "yes"}"#, 400, "E_WRONG_TYPE"),
                (#"{"url": "https://x.example/a", "events": ["a"], "headers": {"X": 1}}"#, 400, "E_WRONG_TYPE"),
                (#"{"url": null, "events": ["a"]}"#, 400, "E_WRONG_TYPE"),
                (#"{"events": ["a"]}"#, 400, "E_MISSING_FIELD"),
                (#"{"url": "https://x.example/a"}"#, 400, "E_MISSING_FIELD"),
                (#"{"url": "ftp://x.example/a", "events": ["a"]}"#, 400, "E_INVALID_URL"),
                (#"{"url": "https://user:pw@x.example/a", "events": ["a"]}"#, 400, "E_INVALID_URL"),
                (#"{"url": "not a url", "events": ["a"]}"#, 400, "E_INVALID_URL"),
                (#"{"url": "https://x.example/a", "events": []}"#, 400, "E_INVALID_EVENTS"),
                (#"{"url": "https://x.example/a", "events": ["has space"]}"#, 400, "E_INVALID_EVENTS"),
                (#"{"url": "https://x.example/a", "events": ["a"], "association_type": "TEAM"}"#, 400, "E_INVALID_VALUE"),
                (#"{"url": "https://x.example/a", "events": ["a"], "status": "paused"}"#, 400, "E_INVALID_VALUE"),
                (#"{"url": "https://x.example/a", "events": ["a"], "max_attempts": 51}"#, 400, "E_INVALID_VALUE"),
                (#"{"url": "https://x.example/a", "events": ["a"], "headers": {"Bad Name": "v"}}"#, 400, "E_INVALID_HEADERS"),
                (#"{"url": "https://x.example/a", "events": ["a"], "headers": {"X-A": "line\nbreak"}}"#, 400, "E_INVALID_HEADERS"),
                (#"{"url": "https://x.example/a", "events": ["a"], "resource_key_pattern": "(a"}"#, 422, "E_INVALID_PATTERN"),
                (#"{"url": "https://x.example/a", "events": ["a"], "resource_key_pattern": "(a)\\1"}"#, 422, "E_INVALID_PATTERN"),
                (#"{"url": "https://x.example/a", "events": ["a"], "resourceKeyPattern": "a(?=b)"}"#, 422, "E_INVALID_PATTERN"),
                (#"{"url": "https://x.example/a", "events": ["a"], "tenant_id": "one"}"#, 400, "E_WRONG_TYPE"),
            ]
            for c in cases {
                let reply = try await h.send(.post, hooks, token: token, body: c.body)
                #expect(reply.status == c.status && reply.code == c.code, "\(c.body): \(reply)")
                #expect((reply.object["message"] as? String).map { !$0.isEmpty } == true)
            }
            let pattern = try await h.send(
                .post, hooks, token: token, body: #"{"url": "https://x.example/a", "events": ["a"], "resource_key_pattern": "ab(?=c)"}"#)
            #expect((pattern.object["message"] as? String)?.contains("position 3") == true, "\(pattern)")

            let huge = #"{"url": "https://x.example/a", "events": ["a"], "description": "\#(String(repeating: "x", count: 70_000))"}"#
            let tooLarge = try await h.send(.post, hooks, token: token, body: huge)
            #expect(tooLarge.status == 413 && tooLarge.code == "E_BODY_TOO_LARGE", "\(tooLarge)")

            let id = try await h.createWebhook(url: "https://x.example/dup-\(h.tenantA)")
            let dup = try await h.send(.post, hooks, token: token, body: #"{"url": "https://x.example/dup-\#(h.tenantA)", "events": ["a"]}"#)
            #expect(dup.status == 409 && dup.code == "E_ENDPOINT_EXISTS", "\(dup)")
            let other = try await h.createWebhook(url: "https://x.example/other-\(h.tenantA)")
            let dupUpdate = try await h.send(.put, "\(hooks)/\(other)", token: token, body: #"{"url": "https://x.example/dup-\#(h.tenantA)"}"#)
            #expect(dupUpdate.status == 409 && dupUpdate.code == "E_ENDPOINT_EXISTS", "\(dupUpdate)")
            let move = try await h.send(.put, "\(hooks)/\(id)", token: token, body: #"{"tenant_id": \#(h.tenantB)}"#)
            #expect(move.status == 400, "\(move)")
            let badRotate = try await h.send(.post, "\(hooks)/\(id)/rotate-secret", token: token, body: #"{"grace_period_seconds": -1}"#)
            #expect(badRotate.status == 400 && badRotate.code == "E_INVALID_VALUE", "\(badRotate)")

            for query in ["page=0", "page_size=0", "page_size=101", "page=x", "status=sleeping", "association_type=TEAM", "tenant_id=-1"] {
                let reply = try await h.send(.get, "\(hooks)?\(query)", token: token)
                #expect(reply.status == 400, "\(query): \(reply)")
            }
            for path in ["\(hooks)/0", "\(hooks)/abc", "\(hooks)/987654321", "\(hooks)/987654321/logs", "\(hooks)/-5/stats"] {
                let reply = try await h.send(.get, path, token: token)
                #expect(reply.status == 404 && reply.code == "E_NOT_FOUND", "\(path): \(reply)")
            }
            let unknownRoute = try await h.send(.get, "/api/v1/nothing-here", token: token)
            #expect(unknownRoute.status == 404 && unknownRoute.code == "E_NOT_FOUND", "\(unknownRoute)")
        }
    }

    @Test func usersAndPublisherTokens() async throws {
        try await Harness.run { h in
            let name = "viewer-" + UUID().uuidString.prefix(8).lowercased()
            let created = try await h.send(
                .post, "/api/v1/users", token: h.callers.adminA,
                body: #"{"username": "\#(name)", "password": "long-enough-pw", "role": "viewer"}"#)
            #expect(created.status == 201, "\(created)")
            #expect(created.data["tenant_id"] as? Int == Int(h.tenantA))
            #expect(created.data["password_hash"] == nil)
            let dup = try await h.send(
                .post, "/api/v1/users", token: h.callers.adminA,
                body: #"{"username": "\#(name)", "password": "long-enough-pw", "role": "viewer"}"#)
            #expect(dup.status == 409 && dup.code == "E_USER_EXISTS", "\(dup)")
            for body in [
                #"{"username": "x", "password": "long-enough-pw", "role": "viewer"}"#,
                #"{"username": "okname", "password": "short", "role": "viewer"}"#,
                #"{"username": "okname", "password": "long-enough-pw", "role": "owner"}"#,
            ] {
                let bad = try await h.send(.post, "/api/v1/users", token: h.callers.adminA, body: body)
                #expect(bad.status == 400, "\(body): \(bad)")
            }
            let cross = try await h.send(
                .post, "/api/v1/users", token: h.callers.adminA,
                body: #"{"username": "x\#(name)", "password": "long-enough-pw", "role": "viewer", "tenant_id": \#(h.tenantB)}"#)
            #expect(cross.status == 403, "\(cross)")

            let login = try await h.send(.post, "/api/auth/login", body: #"{"username": "\#(name)", "password": "long-enough-pw"}"#)
            #expect(login.status == 200 && login.object["role"] as? String == "viewer", "\(login)")
            let viewerToken = try #require(login.object["access_token"] as? String)
            #expect(try await h.send(.get, "/api/v1/webhooks", token: viewerToken).status == 200)
            #expect(try await h.send(.post, "/api/v1/webhooks", token: viewerToken, body: "{}").status == 403)

            let users = try await h.send(.get, "/api/v1/users", token: h.callers.adminA)
            #expect(((users.data["items"] as? [[String: Any]]) ?? []).map { $0["username"] as? String } == [name])

            let issued = try await h.send(.post, "/api/v1/tokens", token: h.callers.adminA, body: #"{"subject": "ci-bot", "expires_in": 3600}"#)
            #expect(issued.status == 201, "\(issued)")
            #expect(issued.data["role"] as? String == "publisher")
            #expect(issued.data["tenant_id"] as? Int == Int(h.tenantA))
            let publisher = try #require(issued.data["access_token"] as? String)
            let refused = try await h.send(.get, "/api/v1/webhooks", token: publisher)
            #expect(refused.status == 403, "publishers may only publish: \(refused)")
            let badToken = try await h.send(.post, "/api/v1/tokens", token: h.callers.adminA, body: #"{"subject": "ci", "expires_in": 10}"#)
            #expect(badToken.status == 400 && badToken.code == "E_INVALID_VALUE")
        }
    }
}
