import Foundation
import Logging

/// The body of every executable: build and run the service; a start-up failure is logged as one
/// clear line and ends the process with a non-zero status instead of a crash.
public enum ServiceMain {
    /// Runs `body`; exits 2 on a configuration error, 1 on any other failure.
    public static func run(logger: Logger, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch let error as ConfigurationError {
            logger.critical("\(error.description)")
            exit(2)
        } catch {
            logger.critical("stopped by an error: \(String(reflecting: error))")
            exit(1)
        }
    }
}
