import Foundation

/// Sends HTTP requests through libcurl's multi interface on one dedicated
/// thread. Tasks calling `send` never block; thousands may be in flight.
/// Connections are kept and reused across requests. Every connection attempt
/// is checked against the `AddressPolicy` after DNS resolution.
public final class OutboundClient: Sendable {
    private let core: ClientCore

    /// Starts the client's curl thread.
    /// - Parameters:
    ///   - policy: which destination addresses may be connected to.
    ///   - userAgent: the `User-Agent` sent with every request (CR/LF removed).
    ///   - maxConnectionsPerHost: concurrent connections per host; 0 = unlimited.
    ///     Transfers beyond the limit wait inside curl (their timeouts keep running).
    ///   - maxTotalConnections: concurrent connections overall; 0 = unlimited.
    ///     Also sizes the idle-connection cache (256 when unlimited).
    public init(policy: AddressPolicy, userAgent: String, maxConnectionsPerHost: Int = 0, maxTotalConnections: Int = 0) {
        let cleanAgent = String(userAgent.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" })
        core = ClientCore(
            settings: .init(
                policy: policy, userAgent: cleanAgent,
                maxConnectionsPerHost: max(0, maxConnectionsPerHost),
                maxTotalConnections: max(0, maxTotalConnections)))
        guard let multi = core.multi else { return }
        let thread = Thread { [core] in
            CurlEngine(core: core, multi: multi).run()
        }
        thread.name = "outbound-curl"
        thread.start()
    }

    deinit {
        core.requestStop()
    }

    /// Performs `request` and returns the final HTTP response, whatever its status.
    ///
    /// Throws `OutboundError` when no response was obtained: invalid URL or
    /// request, refused address (SSRF guard), DNS/connect/TLS/IO failure,
    /// timeout, or `shutdown` when the client stops first. Task cancellation is
    /// not observed; `totalTimeout` bounds every transfer.
    public func send(_ request: OutboundRequest) async throws(OutboundError) -> OutboundResponse {
        if let problem = RequestValidation.problem(with: request) { throw problem }
        let core = self.core
        let result = await withCheckedContinuation { (continuation: TransferContinuation) in
            if !core.enqueue(.init(request: request, continuation: continuation)) {
                continuation.resume(returning: .failure(core.notRunningError))
            }
        }
        return try result.get()
    }

    /// Fails queued and in-flight transfers with `.shutdown`, closes every
    /// connection and stops the curl thread. Returns once the thread has
    /// finished. Later `send` calls fail with `.shutdown`. Idempotent.
    public func shutdown() async {
        core.requestStop()
        await core.waitUntilStopped()
    }
}
