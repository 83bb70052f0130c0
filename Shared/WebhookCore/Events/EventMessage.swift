/// Decoding of event messages taken off the queue (the AMQP message contract).
public enum EventMessage {
    /// Parses and validates a message body. A body without an id gets one derived from its bytes, so a
    /// redelivered copy gets the same id.
    public static func decode(_ body: [UInt8]) throws(EventValidationError) -> Event {
        let json = try messageJSON(body)
        return try EventValidation.event(from: json, defaultID: Event.derivedID(fromBody: body))
    }

    /// The JSON of a message body taken off the queue (any message of the contract: events, tasks,
    /// notices); `E_INVALID_JSON` when it is not JSON.
    public static func messageJSON(_ body: [UInt8]) throws(EventValidationError) -> JSONValue {
        do throws(JSONParseError) {
            return try JSONParser.parse(body)
        } catch {
            throw EventValidationError(code: "E_INVALID_JSON", message: error.description)
        }
    }
}
