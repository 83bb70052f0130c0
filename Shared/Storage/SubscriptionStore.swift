import Foundation
import Logging
import PostgresNIO
import WebhookCore

/// The delivery side's view of webhooks: every active one, for the in-memory subscription index.
public struct SubscriptionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Every active webhook.
    public func loadActive() async throws(StorageError) -> [Webhook] {
        try await storage(deadline: DeliveryStore.deadline) {
            var result: [Webhook] = []
            let rows = try await client.query(
                "SELECT \(unescaped: WebhookStore.columns) FROM webhooks WHERE status = 'active' ORDER BY id", logger: logger)
            for try await row in rows { result.append(try WebhookStore.decode(row)) }
            return result
        }
    }
}

extension SubscriptionStore {
    /// Webhooks (in any status) changed since `since`, and the newest change time seen.
    public func loadChanged(since: Date) async throws(StorageError) -> (webhooks: [Webhook], newest: Date?) {
        try await storage(deadline: DeliveryStore.deadline) {
            var result: [Webhook] = []
            let rows = try await client.query(
                "SELECT \(unescaped: WebhookStore.columns) FROM webhooks WHERE updated_at > \(since) ORDER BY updated_at", logger: logger)
            for try await row in rows { result.append(try WebhookStore.decode(row)) }
            return (result, result.map(\.updatedAt).max())
        }
    }
}
