import Foundation

extension Webhook {
    /// Previous secrets still inside their rotation grace period at `date`; deliveries are signed
    /// with each of them too.
    public func validPreviousSecrets(at date: Date) -> [String] {
        []
    }
}
