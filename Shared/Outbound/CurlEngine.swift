import CCurl
import Foundation

/// The loop run by the client's dedicated thread. It alone touches the CURLM
/// handle (apart from `curl_multi_wakeup`) and every easy handle. Created and
/// used only on that thread, so it needs no Sendable conformance.
final class CurlEngine {
    private let core: ClientCore
    private let multi: UnsafeMutableRawPointer
    /// Owning references for every easy handle currently attached to `multi`.
    private var active: [UnsafeMutableRawPointer: TransferContext] = [:]
    /// Easy handles between transfers.
    private let handles: EasyHandlePool

    init(core: ClientCore, multi: MultiHandle) {
        self.core = core
        self.multi = multi.raw
        // As many idle handles as transfers may run at once, at most 256.
        let limit = core.settings.maxTotalConnections
        handles = EasyHandlePool(capacity: limit > 0 ? min(limit, 256) : 256)
    }

    /// Runs until the client asks to stop, then fails what is left and cleans up.
    func run() {
        configureMulti()
        while true {
            let (requests, stopping) = core.takeQueued()
            if stopping {
                for pending in requests { pending.continuation.resume(returning: .failure(Self.shutdownError)) }
                break
            }
            for pending in requests { start(pending) }
            var running: Int32 = 0
            let performCode = curl_multi_perform(multi, &running)
            if performCode != CURLM_OK {
                failAll(OutboundError(code: .internal, message: "curl_multi_perform: \(String(cString: curl_multi_strerror(performCode)))"))
            }
            collectFinished()
            if curl_multi_poll(multi, nil, 0, 1000, nil) != CURLM_OK {
                Thread.sleep(forTimeInterval: 0.01)  // never spin if polling itself fails
            }
        }
        failAll(Self.shutdownError)
        handles.drain()
        curl_multi_cleanup(multi)
        core.markStopped()
    }

    private static let shutdownError = OutboundError(code: .shutdown, message: "the client was shut down before the transfer finished")

    private func configureMulti() {
        let settings = core.settings
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, settings.maxConnectionsPerHost)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, settings.maxTotalConnections)
        // Idle connections kept for reuse. curl's default (4 x attached handles)
        // shrinks to almost nothing between bursts, losing keep-alive.
        let cacheSize = settings.maxTotalConnections > 0 ? settings.maxTotalConnections : 256
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, cacheSize)
    }

    private func start(_ pending: ClientCore.Pending) {
        let request = pending.request
        guard
            let transfer = TransferContext(
                continuation: pending.continuation, policy: core.settings.policy,
                maxResponseBytes: request.maxResponseBytes, handles: handles)
        else {
            pending.continuation.resume(returning: .failure(OutboundError(code: .internal, message: "curl_easy_init failed")))
            return
        }
        do {
            try TransferSetup.configure(transfer, request: request, userAgent: core.settings.userAgent)
        } catch {
            transfer.close()
            transfer.continuation.resume(returning: .failure(error))
            return
        }
        let addCode = curl_multi_add_handle(multi, transfer.easy)
        guard addCode == CURLM_OK else {
            transfer.close()
            let text = String(cString: curl_multi_strerror(addCode))
            transfer.continuation.resume(returning: .failure(OutboundError(code: .internal, message: "curl_multi_add_handle: \(text)")))
            return
        }
        active[transfer.easy] = transfer
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            // Copy out before removing the handle: that invalidates `message`.
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result
            guard let transfer = active.removeValue(forKey: easy) else { continue }
            let outcome = TransferOutcome.make(transfer, result: result)
            curl_multi_remove_handle(multi, easy)
            transfer.close()
            transfer.continuation.resume(returning: outcome)
        }
    }

    private func failAll(_ error: OutboundError) {
        let transfers = active.values
        active.removeAll()
        for transfer in transfers {
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.close()
            transfer.continuation.resume(returning: .failure(error))
        }
    }
}
