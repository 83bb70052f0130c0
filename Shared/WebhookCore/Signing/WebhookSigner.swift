import Crypto
import Foundation

/// Signatures on outgoing webhook requests.
///
/// - Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one entry per
///   valid secret (several during a secret rotation). The key is the base64-decoded part after `whsec_`,
///   or the secret's UTF-8 bytes for a secret without that prefix.
/// - Hex: the bare lowercase hex HMAC-SHA256 of the body keyed with the secret's UTF-8 bytes as given
///   (the registry's tenant-parameter and FastAPI-style dialects' clients verify it).
public enum WebhookSigner {
    /// Prefix of generated secrets.
    public static let secretPrefix = "whsec_"

    /// A new random secret, `whsec_` and the base64 of 24 random bytes.
    public static func generateSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return secretPrefix + Data(bytes).base64EncodedString()
    }

    /// The Standard Webhooks key of a secret.
    public static func standardKey(for secret: String) -> SymmetricKey {
        if secret.hasPrefix(secretPrefix), let decoded = Data(base64Encoded: String(secret.dropFirst(secretPrefix.count))),
            !decoded.isEmpty
        {
            return SymmetricKey(data: decoded)
        }
        return SymmetricKey(data: Array(secret.utf8))
    }

    /// One Standard Webhooks signature entry, `v1,<base64>`.
    public static func standardSignature(secret: String, messageID: String, timestamp: Int64, body: [UInt8]) -> String {
        standardSignature(keyed: HMAC<SHA256>(key: standardKey(for: secret)), messageID: messageID, timestamp: timestamp, body: body)
    }

    /// One Standard Webhooks signature entry from a state keyed with `standardKey(for:)` already
    /// (`SigningKeys`); `keyed` itself is not changed.
    public static func standardSignature(keyed: HMAC<SHA256>, messageID: String, timestamp: Int64, body: [UInt8]) -> String {
        // Fed in two parts: the body (about 1 KiB) is not copied behind its prefix.
        var hmac = keyed
        hmac.update(data: Array("\(messageID).\(timestamp).".utf8))
        hmac.update(data: body)
        return "v1," + Data(hmac.finalize()).base64EncodedString()
    }

    /// The `webhook-signature` header value: space-separated entries, one per secret.
    public static func standardSignatureHeader(secrets: [String], messageID: String, timestamp: Int64, body: [UInt8]) -> String {
        secrets.map { standardSignature(secret: $0, messageID: messageID, timestamp: timestamp, body: body) }
            .joined(separator: " ")
    }

    /// The hex HMAC-SHA256 of the body keyed with the secret's UTF-8 bytes.
    public static func hexSignature(secret: String, body: [UInt8]) -> String {
        hexSignature(keyed: HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8))), body: body)
    }

    /// The hex signature from a state keyed with the secret's UTF-8 bytes already (`SigningKeys`).
    public static func hexSignature(keyed: HMAC<SHA256>, body: [UInt8]) -> String {
        var hmac = keyed
        hmac.update(data: body)
        return Hashing.hex(hmac.finalize())
    }
}
