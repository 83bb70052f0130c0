import NIOCore
import NIOPosix
import Synchronization

/// A loopback TCP proxy to a fixed upstream that a test can cut (close every connection and refuse
/// new ones) and restore, to play a database outage without stopping the shared database.
final class TCPProxy: Sendable {
    private let server: any Channel
    private let state: ProxyState
    let port: Int

    init(upstreamHost: String, upstreamPort: Int) async throws {
        let state = ProxyState()
        let group = MultiThreadedEventLoopGroup.singleton
        server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                guard state.isOpen else { return inbound.close() }
                state.track(inbound)
                return ClientBootstrap(group: inbound.eventLoop).connect(host: upstreamHost, port: upstreamPort).flatMap { outbound in
                    state.track(outbound)
                    return inbound.pipeline.addHandler(Glue(peer: outbound)).flatMap {
                        outbound.pipeline.addHandler(Glue(peer: inbound))
                    }
                }.flatMapErrorThrowing { error in
                    inbound.close(promise: nil)
                    throw error
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = server.localAddress?.port ?? 0
        self.state = state
    }

    /// Closes every proxied connection and refuses new ones until `restore()`.
    func cut() {
        for channel in state.cut() { channel.close(promise: nil) }
    }

    func restore() { state.restore() }

    func stop() async {
        cut()
        try? await server.close()
    }
}

private final class ProxyState: Sendable {
    private let value = Mutex<(open: Bool, channels: [any Channel])>((true, []))

    var isOpen: Bool { value.withLock { $0.open } }
    func track(_ channel: any Channel) { value.withLock { $0.channels.append(channel) } }
    func cut() -> [any Channel] {
        value.withLock { state in
            state.open = false
            defer { state.channels = [] }
            return state.channels
        }
    }
    func restore() { value.withLock { $0.open = true } }
}

/// Copies bytes to the peer channel and closes it when this side closes.
private final class Glue: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let peer: any Channel

    init(peer: any Channel) { self.peer = peer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        peer.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
