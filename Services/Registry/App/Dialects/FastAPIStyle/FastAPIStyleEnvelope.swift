import ServiceKit

// FastAPI-style successes are bare JSON objects: no envelope.

extension ErrorStyle {
    /// The FastAPI-style dialect's errors: FastAPI's `{"detail": "..."}` with the stable code next to it.
    static let fastAPIStyle = ErrorStyle { code, message, _ in [("detail", message), ("code", code)] }
}
