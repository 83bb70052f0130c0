import Hummingbird
import NIOCore
import ServiceKit
import WebhookCore

extension WebhookInput {
    /// Reads a create or update body of at most `limit` bytes (every dialect's spelling). A
    /// `filter` is then taken from the body exactly as sent: `JSONDecoder` would sort its members
    /// and round integers beyond 64 bits, which a filter compares exactly.
    static func read(from request: Request, limit: Int) async throws -> WebhookInput {
        let buffer = try await BodyReader.collect(request, limit: limit)
        guard buffer.readableBytes > 0 else {
            throw APIError.badRequest("E_INVALID_JSON", "the request body must be a JSON object")
        }
        var input = try BodyReader.decode(WebhookInput.self, from: buffer)
        if case .value = input.filter, let exact = exactFilter(in: buffer) {
            input.filter = .value(exact)
        }
        return input
    }

    /// The `filter` member of the JSON object in `buffer`, parsed without loss (the last one, when
    /// the body names it twice, as `JSONDecoder` takes it).
    private static func exactFilter(in buffer: ByteBuffer) -> JSONValue? {
        guard case .object(let members) = try? JSONParser.parse(buffer.readableBytesView) else { return nil }
        return members.last(where: { $0.key == "filter" })?.value
    }
}
