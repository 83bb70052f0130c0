import Logging
import Messaging
import ServiceLifecycle
import Storage
import WebhookCore

/// Keeps the subscription index fresh: patches it every second and on `webhooks.control` notices
/// (a burst of notices costs one refresh), and rebuilds it in full after every reconnect to the
/// broker and every `fullInterval`.
struct ControlListener: Service {
    let connection: AMQPConnection
    let cache: SubscriptionCache
    let fullInterval: Duration
    let logger: Logger

    static let tick: Duration = .seconds(1)

    func run() async throws {
        let notices = connection.consumeExclusive(bindingTo: WebhookTopology.controlExchange)
        await withDiscardingTaskGroup { group in
            group.addTask {
                var seenConnections = connection.connectionCount
                var sinceFull = Duration.zero
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    let connections = connection.connectionCount
                    if connections != seenConnections || sinceFull >= fullInterval || !cache.isLoaded {
                        seenConnections = connections
                        sinceFull = .zero
                        await update(full: true)
                    } else {
                        await update(full: false)
                    }
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.tick) }
                    sinceFull += Self.tick
                }
            }
            // Notices arriving while a refresh runs are folded into one more refresh: creating 10,000
            // webhooks must not mean 10,000 refreshes (each reads the recent changes and rebuilds).
            let (pending, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            group.addTask {
                for await _ in pending { await update(full: false) }
            }
            for await notice in notices.cancelOnGracefulShutdown() {
                connection.ack(notice)
                // Any notice means "refresh": the refresh reads what changed, so the body is only logged.
                do throws(EventValidationError) {
                    let decoded = try ControlNotice.decode(notice.message.body)
                    logger.debug(
                        "webhook changed",
                        metadata: [
                            "webhook_id": "\(decoded.webhookID)", "tenant_id": "\(decoded.tenantID)", "change": "\(decoded.change.rawValue)",
                        ])
                } catch {
                    logger.debug("unreadable control notice; refreshing anyway", metadata: ["error": "\(error.message)"])
                }
                signal.yield()
            }
            signal.finish()
            group.cancelAll()
        }
    }

    private func update(full: Bool) async {
        do {
            if full { try await cache.reload() } else { try await cache.refresh() }
        } catch {
            logger.warning("subscription index refresh failed", metadata: ["error": "\(error)"])
        }
    }
}
