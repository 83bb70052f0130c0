import Crypto
import Synchronization

/// HMAC-SHA256 states already keyed with a webhook's secret, kept per webhook id and secret, so a
/// delivery copies a keyed state instead of deriving the key again (base64 decoding, padding and
/// hashing both key blocks) on every request.
///
/// An entry belongs to one webhook and one secret: a rotated secret is another entry, and an entry
/// is never shared between webhooks (nor so between tenants). At most `capacity` entries are kept;
/// when full, the cache starts over empty.
public final class SigningKeys: Sendable {
    /// The keyed states of one secret.
    public struct Keyed: Sendable {
        /// Keyed with the Standard Webhooks key (`WebhookSigner.standardKey(for:)`).
        public let standard: HMAC<SHA256>
        /// Keyed with the secret's UTF-8 bytes as given (the hex signature).
        public let hex: HMAC<SHA256>

        /// Derives both keys of `secret`.
        public init(secret: String) {
            standard = HMAC(key: WebhookSigner.standardKey(for: secret))
            hex = HMAC(key: SymmetricKey(data: Array(secret.utf8)))
        }
    }

    private struct Entry: Hashable {
        let webhookID: Int64
        let secret: String
    }

    private let entries = Mutex<[Entry: Keyed]>([:])
    /// The most entries kept.
    public let capacity: Int

    /// - Parameter capacity: the most entries kept (at least 1).
    public init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
    }

    /// The keyed states of `secret` of webhook `webhookID`, derived on first use.
    public func keyed(webhookID: Int64, secret: String) -> Keyed {
        let entry = Entry(webhookID: webhookID, secret: secret)
        if let hit = entries.withLock({ $0[entry] }) { return hit }
        let made = Keyed(secret: secret)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[entry] = made
        }
        return made
    }

    /// How many entries are kept now.
    public var count: Int { entries.withLock { $0.count } }
}
