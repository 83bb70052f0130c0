import Messaging
import ServiceLifecycle

/// The shared shape of both consumer stages: take deliveries off `queue` (at most `prefetch`
/// unsettled), handle each in its own task, and on graceful shutdown stop taking new ones and wait
/// for those in hand.
enum ConsumeLoop {
    static func run(
        _ connection: AMQPConnection, queue: String, prefetch: Int,
        handle: @escaping @Sendable (AMQPDelivery) async -> Void
    ) async {
        let deliveries = connection.consume(queue: queue, prefetch: UInt16(clamping: prefetch))
        await withDiscardingTaskGroup { group in
            for await delivery in deliveries.cancelOnGracefulShutdown() {
                group.addTask { await handle(delivery) }
            }
        }
    }
}
