import Foundation

extension Platform {
    /// The delivery gauge saying up to when a replica's subscription index holds every webhook change.
    public static let indexSyncedMetric = "webhooks_delivery_subscriptions_synced_timestamp_seconds"

    /// Waits until the subscription index of every delivery replica (`deliveryURLs`, this platform's
    /// own by default) holds every webhook change committed before this call: each replica's
    /// `indexSyncedMetric` must pass the moment of the call. Call it after creating or changing
    /// webhooks and before posting the events they must receive.
    ///
    /// - Throws: `TestEnvironment.Missing` naming the replicas that did not catch up within `timeout`.
    public func waitForIndex(_ http: TestHTTP, deliveryURLs: [String]? = nil, timeout: Duration = .seconds(30)) async throws {
        // The services run on this machine: their clock is this one.
        let changesBefore = Date().timeIntervalSince1970
        let deadline = ContinuousClock.now + timeout
        var behind = Dictionary(uniqueKeysWithValues: (deliveryURLs ?? [deliveryURL]).map { ($0, "not scraped yet") })
        while true {
            for url in behind.keys.sorted() {
                switch await Self.indexSynced(http, url) {
                case .some(let synced) where synced >= changesBefore: behind[url] = nil
                case .some(let synced): behind[url] = "synced through \(Date(timeIntervalSince1970: synced))"
                case .none: behind[url] = "\(url)/metrics unreadable or without \(Self.indexSyncedMetric)"
                }
            }
            if behind.isEmpty { return }
            if ContinuousClock.now >= deadline {
                let states = behind.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
                throw TestEnvironment.Missing(
                    description: "the subscription index of delivery did not take in the webhook changes made before "
                        + "\(Date(timeIntervalSince1970: changesBefore)) within \(timeout): \(states)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A replica's `indexSyncedMetric` (Unix seconds), or nil when its `/metrics` does not answer with it.
    static func indexSynced(_ http: TestHTTP, _ deliveryURL: String) async -> Double? {
        guard let response = try? await http.send("GET", deliveryURL + "/metrics"), response.status == 200 else { return nil }
        for line in response.text.split(separator: "\n") where line.hasPrefix(indexSyncedMetric + " ") {
            return Double(line.dropFirst(indexSyncedMetric.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
