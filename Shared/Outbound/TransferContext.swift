import CCurl

/// How a transfer's outcome travels back to the awaiting task.
typealias TransferContinuation = CheckedContinuation<Result<OutboundResponse, OutboundError>, Never>

/// Per-transfer state and the C resources it owns (easy handle, taken from and
/// given back to the engine's `EasyHandlePool`; parsed URL, header list, error
/// buffer).
///
/// Thread confinement (why this class needs no Sendable conformance): it is
/// created, used and closed only on the curl thread, by `CurlEngine` and by the
/// curl callbacks, which libcurl invokes from inside `curl_multi_perform` on
/// that same thread. C code receives it as an unretained `Unmanaged` pointer;
/// the engine's `active` table holds the owning reference for as long as the
/// easy handle is attached to the multi handle.
final class TransferContext {
    let continuation: TransferContinuation
    let policy: AddressPolicy
    let maxResponseBytes: Int
    let easy: UnsafeMutableRawPointer
    private let handles: EasyHandlePool
    let errorBuffer: UnsafeMutablePointer<CChar>
    var parsedURL: OpaquePointer?
    var headerList: UnsafeMutablePointer<curl_slist>?

    private(set) var body: [UInt8] = []
    private(set) var bodyTruncated = false
    private(set) var headers: [HTTPHeaderField] = []
    /// The last address the policy refused for this transfer, if any.
    var refusedAddress: IPAddress?
    /// How many connection attempts the policy allowed.
    var permittedAttempts = 0
    private var closed = false

    /// Takes an easy handle from `handles`; nil if libcurl cannot allocate one.
    init?(continuation: TransferContinuation, policy: AddressPolicy, maxResponseBytes: Int, handles: EasyHandlePool) {
        guard let easy = handles.take() else { return nil }
        self.easy = easy
        self.handles = handles
        self.continuation = continuation
        self.policy = policy
        self.maxResponseBytes = maxResponseBytes
        let size = Int(ccurl_error_size())
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
    }

    /// The pointer handed to curl as callback user data and CURLOPT_PRIVATE.
    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Keeps up to `maxResponseBytes`; the rest is dropped and flagged.
    func receiveBody(_ chunk: UnsafeRawBufferPointer) {
        let room = maxResponseBytes - body.count
        if chunk.count > room { bodyTruncated = true }
        if room > 0 { body.append(contentsOf: chunk.prefix(room)) }
    }

    /// Handles one raw header line; a status line starts a new header block so
    /// only the final response's headers remain.
    func receiveHeaderLine(_ raw: UnsafeRawBufferPointer) {
        // Strip CR/LF as bytes: in Swift "\r\n" is one Character, so
        // String.hasSuffix("\n") would not see it.
        var end = raw.count
        while end > 0 && (raw[end - 1] == 0x0A || raw[end - 1] == 0x0D) { end -= 1 }
        let line = String(decoding: raw[..<end], as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
            body.removeAll()
            bodyTruncated = false
        } else if line.isEmpty {
            return
        } else if line.first == " " || line.first == "\t", !headers.isEmpty {
            headers[headers.count - 1].value += " " + trimmed(Substring(line))
        } else if let colon = line.firstIndex(of: ":") {
            headers.append(
                HTTPHeaderField(
                    name: String(line[..<colon]),
                    value: trimmed(line[line.index(after: colon)...])))
        }
    }

    /// curl's detailed error text for a failed transfer.
    var errorDetail: String { String(cString: errorBuffer) }

    /// Frees every C resource exactly once, the easy handle going back to the
    /// pool (reset there before the parsed URL and header list it pointed to are
    /// freed). The easy handle must already be removed from the multi handle.
    func close() {
        guard !closed else { return }
        closed = true
        handles.recycle(easy)
        if let parsedURL { curl_url_cleanup(parsedURL) }
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    deinit { close() }

    /// Drops leading and trailing spaces and tabs.
    private func trimmed(_ text: Substring) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }),
            let last = text.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(text[first...last])
    }
}
