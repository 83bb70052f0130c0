/// The body of a batch message: the events of one ingest request in one broker message.
///
/// Format: one event message body per line, exactly the bytes a single-event message would carry,
/// lines separated by `\n` (0x0A). Canonical JSON never holds a raw newline (JSON escapes control
/// characters inside strings), so every line is one whole event. Lines holding only whitespace are
/// skipped; an event's `index` counts the events before it. Each line is decoded on its own, so one
/// bad event (even one that is not JSON) spoils only itself: the others are still delivered.
public enum EventBatch {
    /// One line of a decoded batch.
    public struct Item: Sendable {
        /// Position among the batch's events, from 0.
        public var index: Int
        /// The line's bytes (a single-event message body).
        public var body: [UInt8]
        /// The event, or why the line is not a valid event.
        public var event: Result<Event, EventValidationError>
    }

    /// Joins event message bodies (`Event.messageBody`) into a batch body.
    /// - Parameter bodies: the events' message bodies, in order; none may contain a newline.
    public static func encode(_ bodies: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bodies.reduce(bodies.count) { $0 + $1.count })
        for (index, body) in bodies.enumerated() {
            if index > 0 { out.append(newline) }
            out.append(contentsOf: body)
        }
        return out
    }

    /// Splits a batch body into its events and decodes each one (`EventMessage.decode`: an event
    /// without an id gets one derived from its line, as a single-event message would).
    /// - Parameters:
    ///   - body: the batch message's body.
    ///   - expectedCount: the count the publisher declared (`x-event-count`), if any.
    /// - Throws: `E_EMPTY_BATCH` when the body holds no event, `E_BATCH_COUNT_MISMATCH` when it holds
    ///   another number of events than declared (a truncated or mangled message): the whole message
    ///   is then unusable.
    public static func decode(_ body: [UInt8], expectedCount: Int? = nil) throws(EventValidationError) -> [Item] {
        let lines = body.split(separator: newline, omittingEmptySubsequences: true).filter { line in
            line.contains { !isWhitespace($0) }
        }
        guard !lines.isEmpty else {
            throw EventValidationError(code: "E_EMPTY_BATCH", message: "the batch message holds no events")
        }
        if let expectedCount, expectedCount != lines.count {
            throw EventValidationError(
                code: "E_BATCH_COUNT_MISMATCH",
                message: "the batch message holds \(lines.count) events but declares \(expectedCount)")
        }
        return lines.enumerated().map { index, line in
            let bytes = Array(line)
            do throws(EventValidationError) {
                return Item(index: index, body: bytes, event: .success(try EventMessage.decode(bytes)))
            } catch {
                return Item(index: index, body: bytes, event: .failure(error))
            }
        }
    }

    /// The `message_id` of a batch of these events: a hash of their keys (tenant scope and id) in
    /// order, so a request published again with the same ids is recognisable as the same batch.
    public static func messageID(for keys: [EventKey]) -> String {
        var material: [UInt8] = []
        for key in keys {
            material.append(contentsOf: String(key.scope).utf8)
            material.append(UInt8(ascii: "/"))
            material.append(contentsOf: key.id.utf8)
            material.append(newline)
        }
        return "batch_" + Hashing.sha256Hex(material).prefix(32)
    }

    private static let newline = UInt8(ascii: "\n")

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
