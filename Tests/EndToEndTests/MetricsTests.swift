import Foundation
import TestSupport
import Testing

/// `/metrics` on every service: the Prometheus exposition, served without a token, with figures
/// that follow what the services did.
@Suite("Metrics")
struct MetricsTests {
    @Test func everyServiceCountsWhatItDid() async throws {
        let ok = try await TestReceiver()
        let gone = try await TestReceiver { _, _ in ReceiverReply(status: 410) }
        try await Platform.with { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            for receiver in [ok, gone] {
                _ = try await platform.createWebhook(
                    http, token: token,
                    json: """
                        {"url": "\(receiver.url())", "events": ["backup.completed"], "tenant_id": \(tenant)}
                        """)
            }
            try await platform.waitForIndex(http)
            try await platform.postEvents(http, token: token, json: #"[{"type": "backup.completed", "tenant_id": \#(tenant)}]"#)
            let malformed = try await http.send("POST", platform.ingestURL + "/api/v1/events", token: token, body: "{not json")
            #expect(malformed.status == 400)
            #expect(await ok.waitForRequests(1).count == 1)
            #expect(await gone.waitForRequests(1).count == 1)

            // The attempts are committed (and counted) shortly after the receivers answered, and the
            // event counted once all of its attempts are. The 410 also makes two operational events
            // (`webhook.disabled`, `task.exhausted`), which pass through the fan-out stage as well,
            // matching no webhook here.
            var delivery = Scrape(text: "")
            let deadline = ContinuousClock.now + .seconds(15)
            repeat {
                try await Task.sleep(for: .milliseconds(200))
                delivery = try await Scrape.get(http, platform.deliveryURL)
            } while (delivery["webhooks_delivery_auto_disabled_total{reason=\"gone\"}"] == nil
                || delivery["webhooks_delivery_events_fanned_out_total"] != 3) && ContinuousClock.now < deadline

            #expect(delivery["webhooks_delivery_attempts_total{outcome=\"success\"}"] == 1)
            #expect(delivery["webhooks_delivery_attempts_total{outcome=\"http_error\"}"] == 1)
            #expect(delivery["webhooks_delivery_attempts_total{outcome=\"timeout\"}"] == 0)
            #expect(delivery["webhooks_delivery_attempt_duration_seconds_count"] == 2)
            #expect(delivery["webhooks_delivery_in_flight_requests"] == 0)
            #expect(delivery["webhooks_delivery_queue_lag_seconds_count{queue=\"webhooks.fanout\"}"] == 3)
            #expect(delivery["webhooks_delivery_events_fanned_out_total"] == 3, "the event and its two operational events")
            #expect(delivery["webhooks_delivery_tasks_total"] == 2)
            #expect(delivery["webhooks_delivery_auto_disabled_total{reason=\"gone\"}"] == 1)
            #expect((delivery["webhooks_delivery_subscriptions"] ?? 0) >= 1)
            #expect((delivery["process_resident_memory_bytes"] ?? 0) > 1_000_000)

            let ingest = try await Scrape.get(http, platform.ingestURL)
            #expect(ingest["webhooks_ingest_events_accepted_total"] == 1)
            #expect(ingest["webhooks_ingest_events_unconfirmed_total"] == 0)
            #expect(ingest["webhooks_ingest_rejected_total{code=\"E_INVALID_JSON\"}"] == 1)
            #expect(ingest["webhooks_ingest_publish_duration_seconds_count"] == 1)
            #expect(ingest["webhooks_http_requests_total{method=\"POST\",status=\"202\"}"] == 1)
            #expect(ingest["webhooks_http_requests_total{method=\"POST\",status=\"400\"}"] == 1)

            let registry = try await Scrape.get(http, platform.registryURL)
            #expect(registry["webhooks_http_requests_total{method=\"POST\",status=\"201\"}"] == 2)
            #expect((registry["process_cpu_seconds_total"] ?? 0) > 0)
        }
        await ok.stop()
        await gone.stop()
    }
}

/// One scrape of a `/metrics` page: sample lines keyed by name and labels as printed.
struct Scrape {
    var samples: [String: Double] = [:]

    init(text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
    }

    subscript(_ key: String) -> Double? { samples[key] }

    /// Fetches `base + /metrics` without a token.
    static func get(_ http: TestHTTP, _ base: String) async throws -> Scrape {
        let response = try await http.send("GET", base + "/metrics")
        try #require(response.status == 200, "GET \(base)/metrics answered \(response.status)")
        #expect(response.headers.first { $0.name.lowercased() == "content-type" }?.value.hasPrefix("text/plain") == true)
        return Scrape(text: response.text)
    }
}
