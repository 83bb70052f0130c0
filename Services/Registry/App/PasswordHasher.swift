import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing off the cooperative thread pool (it is deliberately slow).
struct PasswordHasher: Sendable {
    /// bcrypt cost: 2^10 rounds, about 50-100 ms per hash here.
    let cost: UInt8 = 10

    func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
