import CCurl

/// Easy handles kept between transfers, so a request does not allocate and set up a new one (nor
/// free it afterwards). A handle comes back through `curl_easy_reset`, which puts every option
/// back to its default: each transfer configures its handle completely (`TransferSetup`), so
/// nothing of an earlier request (URL, headers, body, callbacks, timeouts) carries over.
///
/// Thread confinement (why this class needs no Sendable conformance): it is created, used and
/// drained only on the curl thread, by `CurlEngine` and the `TransferContext`s it creates.
final class EasyHandlePool {
    private var idle: [UnsafeMutableRawPointer] = []
    /// The most idle handles kept; more are freed.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// An idle handle, or a new one; nil if libcurl cannot allocate one.
    func take() -> UnsafeMutableRawPointer? {
        idle.popLast() ?? curl_easy_init()
    }

    /// Takes back a handle no multi handle holds any more: reset and kept, or freed when the pool
    /// is full.
    func recycle(_ easy: UnsafeMutableRawPointer) {
        guard idle.count < capacity else { return curl_easy_cleanup(easy) }
        curl_easy_reset(easy)
        idle.append(easy)
    }

    /// Frees every idle handle (when the client stops).
    func drain() {
        for easy in idle { curl_easy_cleanup(easy) }
        idle.removeAll()
    }
}
