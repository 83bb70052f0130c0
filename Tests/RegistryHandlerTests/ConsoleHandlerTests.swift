import HTTPTypes
import Testing

/// The web console's files (`/console`) and the pattern check its endpoint form calls, over in-memory
/// stores.
@Suite struct ConsoleHandlerTests {
    @Test func filesAreServedWithoutTokenAndWithTheirType() async throws {
        try await Registry.run { r in
            let page = try await r.send(.get, "/console")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.text.contains(#"<script type="module" src="/console/app.js">"#))
            #expect(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(page.header("X-Content-Type-Options") == "nosniff")
            #expect(try await r.send(.get, "/console/").text == page.text, "the portal link's /console/ is the same page")

            let script = try await r.send(.get, "/console/app.js")
            #expect(script.status == 200)
            #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
            #expect(script.text.contains("import"))
            for name in ["api.js", "ui.js", "chart.js", "endpoints.js", "endpoint.js", "tasks.js", "events.js", "portal.js", "jobs.js"] {
                let module = try await r.send(.get, "/console/\(name)")
                #expect(module.status == 200, "\(name)")
                #expect(module.text.contains("export"), "\(name) is a module")
            }
            #expect(try await r.send(.get, "/console/console.css").header("Content-Type") == "text/css; charset=utf-8")

            let missing = try await r.send(.get, "/console/secrets.txt")
            #expect(missing.status == 404)
            #expect(missing.code == "E_NOT_FOUND")
            // Only the console's own prefix is public.
            #expect(try await r.send(.get, "/consoleX").status == 401)
            #expect(try await r.send(.get, "/api/v1/webhooks").status == 401)
        }
    }

    @Test func patternCheckSaysWhatIsWrongAndWhere() async throws {
        try await Registry.run { r in
            let good = try await r.send(.post, "/api/v1/patterns/validate", token: r.viewerA, body: #"{"resource_key_pattern": "^env-(prod|stage)-[0-9]+$"}"#)
            #expect(good.status == 200, "\(good)")
            #expect(good.data["valid"] as? Bool == true)

            let bad = try await r.send(.post, "/api/v1/patterns/validate", token: r.adminA, body: #"{"resource_key_pattern": "^env-(prod"}"#)
            #expect(bad.status == 200, "\(bad)")
            #expect(bad.data["valid"] as? Bool == false)
            #expect(bad.data["error_code"] as? String == "E_INVALID_PATTERN")
            #expect(bad.data["position"] as? Int == 6)
            #expect((bad.data["message"] as? String)?.contains("position 6") == true)

            // The same words as creating a webhook with that pattern.
            let create = try await r.send(
                .post, "/api/v1/webhooks", token: r.adminA,
                body: #"{"url": "https://hooks.example.com/p", "events": ["*"], "resource_key_pattern": "^env-(prod"}"#)
            #expect(create.status == 422)
            #expect(create.code == "E_INVALID_PATTERN")
            #expect(create.object["message"] as? String == bad.data["message"] as? String)

            #expect(try await r.send(.post, "/api/v1/patterns/validate", body: #"{"resource_key_pattern": "x"}"#).status == 401)
            #expect(try await r.send(.post, "/api/v1/patterns/validate", token: r.adminA, body: "{}").status == 400)
        }
    }
}
