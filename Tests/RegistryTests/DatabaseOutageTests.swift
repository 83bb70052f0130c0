import Foundation
import TestSupport
import Testing

/// `E_DB_UNAVAILABLE` while PostgreSQL is unreachable, and recovery without a restart.
@Suite struct DatabaseOutageTests {
    @Test func answers503AndRecoversByItself() async throws {
        let env = try TestEnvironment.require()
        let url = try #require(URLComponents(string: env.databaseURL))
        let proxy = try await TCPProxy(upstreamHost: url.host ?? "127.0.0.1", upstreamPort: url.port ?? 5432)
        var proxied = url
        proxied.host = "127.0.0.1"
        proxied.port = proxy.port
        try await Harness.run(databaseURL: try #require(proxied.string)) { h in
            let id = try await h.createWebhook()
            proxy.cut()
            for (method, path) in [("GET", "/api/v1/webhooks/\(id)"), ("GET", "/api/v1/webhooks"), ("GET", "/api/webhooks?tenant_id=\(h.tenantA)")] {
                let reply = try await h.send(.init(rawValue: method)!, path, token: h.callers.adminA)
                #expect(reply.status == 503 && reply.code == "E_DB_UNAVAILABLE", "\(path): \(reply)")
                #expect(reply.header("Retry-After") != nil)
            }
            let tenantQuery = try await h.send(.get, "/api/webhooks", token: h.callers.adminA)
            #expect(tenantQuery.object["msg"] is String, "the tenant-parameter envelope: \(tenantQuery)")
            let ready = try await h.send(.get, "/readyz")
            #expect(ready.status == 503)
            proxy.restore()
            let deadline = ContinuousClock.now + .seconds(30)
            var recovered = false
            while ContinuousClock.now < deadline {
                if try await h.send(.get, "/api/v1/webhooks/\(id)", token: h.callers.adminA).status == 200 {
                    recovered = true
                    break
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(recovered, "the registry did not recover after the database came back")
        }
        await proxy.stop()
    }
}
