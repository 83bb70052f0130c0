import Logging

/// Process-wide logging set-up shared by the executables.
public enum LogSetup {
    /// Logs to stderr at `LOG_LEVEL` (default `info`), labelled with the service name.
    public static func logger(service: String, environment: Environment = Environment()) -> Logger {
        let level = Logger.Level(rawValue: environment.string("LOG_LEVEL", default: "info")) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: service)
        logger.logLevel = level
        return logger
    }
}
