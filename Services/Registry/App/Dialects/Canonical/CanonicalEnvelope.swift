import Hummingbird
import ServiceKit

// The canonical success envelope is ServiceKit's `Envelope`, which ingest answers in too.

extension ErrorStyle {
    /// The canonical API's errors: `{"code": "E_...", "message": "...", "data": null}`.
    static let canonical = ErrorStyle { code, message, _ in [("code", code), ("message", message), ("data", nil)] }
}

extension PageView {
    /// The canonical answer to a listing: `items`, one page of `total`, with its pagination, in the
    /// envelope.
    static func response(_ items: [Item], page: Int, pageSize: Int, total: Int) throws -> Response {
        try JSONResponse.make(Envelope(data: PageView(items: items, pagination: PaginationView(page: page, pageSize: pageSize, total: total))))
    }
}
