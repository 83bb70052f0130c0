import Foundation
import ServiceKit
import Storage
import Synchronization

/// The auth middleware's check of a portal token: its session is looked up by key, and the answer
/// kept for `cacheSeconds` per session (so a busy console costs one query per session every few
/// seconds). A revocation through this process takes effect at once (`forget`); one through another
/// registry process within `cacheSeconds`.
final class PortalSessionCheck: SessionCheck {
    let sessions: any PortalSessionRepository
    let cacheSeconds: Double
    private let known: Mutex<[UUID: (record: PortalSessionRecord?, checked: ContinuousClock.Instant)]>
    private let capacity = 10_000

    init(sessions: any PortalSessionRepository, cacheSeconds: Double = 5) {
        self.sessions = sessions
        self.cacheSeconds = cacheSeconds
        known = Mutex([:])
    }

    func isActive(_ sessionId: UUID) async throws -> Bool {
        let now = ContinuousClock.now
        let cached = known.withLock { entries -> PortalSessionRecord?? in
            guard let entry = entries[sessionId], now - entry.checked < .seconds(cacheSeconds) else { return nil }
            return .some(entry.record)
        }
        let record: PortalSessionRecord?
        if let cached {
            record = cached
        } else {
            record = try await storeCall { try await sessions.find(id: sessionId) }
            known.withLock { entries in
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
                entries[sessionId] = (record, now)
            }
        }
        return record?.isActive(at: Date()) ?? false
    }

    /// Drops what is known of `sessionId` (after a revocation).
    func forget(_ sessionId: UUID) {
        _ = known.withLock { $0.removeValue(forKey: sessionId) }
    }
}
