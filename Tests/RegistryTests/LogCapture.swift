import Logging
import Synchronization

/// Keeps every log line of a registry built by `Harness`, so tests can look for what an operator
/// would find.
final class LogCapture: Sendable {
    private let store = Mutex<[String]>([])

    /// The lines so far: level, message, then the metadata as `key=value`, sorted by key.
    var lines: [String] { store.withLock { $0 } }

    /// A logger writing here.
    func logger(label: String) -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = .info
        return logger
    }

    fileprivate func append(_ line: String) { store.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let pairs = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            capture.append(([event.level.rawValue, event.message.description] + pairs).joined(separator: " "))
        }
    }
}
