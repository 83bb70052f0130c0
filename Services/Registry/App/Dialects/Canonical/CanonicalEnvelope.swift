import ServiceKit

// The canonical success envelope is ServiceKit's `Envelope`, which ingest answers in too.

extension ErrorStyle {
    /// The canonical API's errors: `{"code": "E_...", "message": "...", "data": null}`.
    static let canonical = ErrorStyle { code, message, _ in [("code", code), ("message", message), ("data", nil)] }
}
