import Foundation
import JWTKit
import Synchronization

/// Issues and verifies HS256 JWTs carrying an `Identity`.
public struct TokenService: Sendable {
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var role: String
        var tenant_id: Int64?
        /// The portal session of a portal link's token.
        var sid: String?

        /// Expiry is checked by `TokenService.verify` against its `now`, the same clock as the
        /// verified-token cache uses.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    private let keys: JWTKeyCollection
    /// How long issued tokens stay valid.
    public let lifetime: TimeInterval
    /// Tokens whose signature was verified, with what they carry (see `verify`).
    private let verified = VerifiedTokens(capacity: 4096)

    /// - Parameters:
    ///   - secret: the HMAC key, at least 32 bytes.
    ///   - lifetime: token lifetime in seconds.
    public init(secret: String, lifetime: TimeInterval = 12 * 3600) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.lifetime = lifetime
    }

    /// A signed token for `identity`.
    public func issue(for identity: Identity, lifetime: TimeInterval? = nil, now: Date = Date()) async throws -> String {
        let claims = Claims(
            sub: .init(value: identity.subject),
            exp: .init(value: now.addingTimeInterval(lifetime ?? self.lifetime)),
            iat: .init(value: now),
            role: identity.role.rawValue,
            tenant_id: identity.tenantId,
            sid: identity.sessionId?.uuidString)
        return try await keys.sign(claims)
    }

    /// The identity in `token`, or `nil` when the token is malformed, forged or expired.
    ///
    /// A client sends the same token with every request until it expires: its signature is checked
    /// and its claims decoded once, then it is looked up by its exact text (until its expiry).
    public func verify(_ token: String, now: Date = Date()) async -> Identity? {
        // A JWT is ASCII (base64url and dots). Checked first: Swift compares strings by canonical
        // equivalence, so without it a cached token with "K" replaced by the Kelvin sign would match.
        guard token.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        if let known = verified.identity(of: token, at: now) { return known }
        guard let claims = try? await keys.verify(token, as: Claims.self), let role = Role(rawValue: claims.role),
            claims.exp.value > now
        else {
            return nil
        }
        var session: UUID?
        if let sid = claims.sid {
            guard let id = UUID(uuidString: sid) else { return nil }
            session = id
        }
        let identity = Identity(subject: claims.sub.value, role: role, tenantId: claims.tenant_id, sessionId: session)
        verified.remember(token, identity, expires: claims.exp.value)
        return identity
    }
}

/// Verified tokens by their exact text, each until its expiry. Bounded: when full, it starts again
/// empty (every token is then verified once more), so a flood of distinct tokens costs no memory.
final class VerifiedTokens: Sendable {
    private let entries: Mutex<[String: (identity: Identity, expires: Date)]>
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        entries = Mutex([:])
    }

    /// The identity of a token verified before and not yet expired.
    func identity(of token: String, at now: Date) -> Identity? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.expires > now else {
                entries[token] = nil
                return nil
            }
            return entry.identity
        }
    }

    func remember(_ token: String, _ identity: Identity, expires: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = (identity, expires)
        }
    }
}
