import Foundation
import JWTKit

/// Issues and verifies HS256 JWTs carrying an `Identity`.
public struct TokenService: Sendable {
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var role: String
        var tenant_id: Int64?

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
        }
    }

    private let keys: JWTKeyCollection
    /// How long issued tokens stay valid.
    public let lifetime: TimeInterval

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
            tenant_id: identity.tenantId)
        return try await keys.sign(claims)
    }

    /// The identity in `token`, or `nil` when the token is malformed, forged or expired.
    public func verify(_ token: String) async -> Identity? {
        guard let claims = try? await keys.verify(token, as: Claims.self), let role = Role(rawValue: claims.role) else {
            return nil
        }
        return Identity(subject: claims.sub.value, role: role, tenantId: claims.tenant_id)
    }
}
