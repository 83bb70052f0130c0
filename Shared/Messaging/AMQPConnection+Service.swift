import ServiceLifecycle

extension AMQPConnection: Service {
    /// Runs the connection until graceful shutdown, then closes it (unsettled deliveries go back to
    /// the broker). List it before the services that publish or consume, so it stops after them.
    public func run() async throws {
        start()
        try? await gracefulShutdown()
        await close()
    }
}
