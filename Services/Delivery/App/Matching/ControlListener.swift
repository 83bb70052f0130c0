import Logging
import Messaging
import ServiceLifecycle
import Storage

/// Keeps the subscription index fresh: patches it every second and on every `webhooks.control`
/// notice, and rebuilds it in full after every reconnect to the broker and every `fullInterval`.
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
            for await notice in notices.cancelOnGracefulShutdown() {
                connection.ack(notice)
                await update(full: false)
            }
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
