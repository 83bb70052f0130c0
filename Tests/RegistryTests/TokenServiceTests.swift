import Foundation
import ServiceKit
import Testing

/// Token verification, including tokens answered from the verified-token cache.
@Suite struct TokenServiceTests {
    static let secret = String(repeating: "k", count: 40)

    @Test func aVerifiedTokenStaysValidOnlyUntilItsExpiry() async throws {
        let tokens = await TokenService(secret: Self.secret)
        let issued = Date()
        let identity = Identity(subject: "publisher-1", role: .publisher, tenantId: 7)
        let token = try await tokens.issue(for: identity, lifetime: 60, now: issued)
        // The first check verifies the signature; the second is answered from the cache.
        #expect(await tokens.verify(token, now: issued) == identity)
        #expect(await tokens.verify(token, now: issued.addingTimeInterval(30)) == identity)
        // Past its expiry the cached entry no longer counts, nor does the token itself.
        #expect(await tokens.verify(token, now: issued.addingTimeInterval(61)) == nil)
        #expect(await tokens.verify(token) == identity)  // the real clock: still within its minute
        // Verified afresh (not from the cache) at a time past its expiry: refused as well.
        let fresh = await TokenService(secret: Self.secret)
        #expect(await fresh.verify(token, now: issued.addingTimeInterval(61)) == nil)
    }

    @Test func aTokenNotVerifiedBeforeIsCheckedInFull() async throws {
        let tokens = await TokenService(secret: Self.secret)
        let other = await TokenService(secret: String(repeating: "x", count: 40))
        let identity = Identity(subject: "admin", role: .admin, tenantId: nil)
        let token = try await tokens.issue(for: identity)
        #expect(await tokens.verify(token) == identity)
        // Signed with another key: refused even though a token of that identity is cached.
        let forged = try await other.issue(for: identity)
        #expect(await tokens.verify(forged) == nil)
        // One character changed in the signature of a cached token: a different text, refused.
        var altered = Array(token)
        altered[altered.count - 2] = altered[altered.count - 2] == "A" ? "B" : "A"
        #expect(await tokens.verify(String(altered)) == nil)
        // Canonically equal to a cached token but not the same bytes (Kelvin sign for "K"): refused.
        var withK = token
        var n = 0
        while !withK.contains("K") {
            n += 1
            withK = try await tokens.issue(for: Identity(subject: "admin-\(n)", role: .admin, tenantId: nil))
        }
        #expect(await tokens.verify(withK) != nil)
        let kelvin = withK.replacingOccurrences(of: "K", with: "\u{212A}")
        #expect(kelvin == withK)  // the same String to Swift
        #expect(await tokens.verify(kelvin) == nil)
        // Expired when issued: never cached.
        let expired = try await tokens.issue(for: identity, lifetime: -10)
        #expect(await tokens.verify(expired) == nil)
        #expect(await tokens.verify(expired) == nil)
    }
}
