import Hummingbird
import ServiceKit
import Storage
import WebhookCore

/// The event-type catalogue (`/api/v1/event-types`): every admin and viewer lists and reads it; an
/// admin without tenant creates, updates and deprecates entries.
struct EventTypeRoutes: Sendable {
    let eventTypes: EventTypeService

    func addRoutes(to router: Router<AppRequestContext>) {
        let g = router.group("/api/v1")
        g.get("event-types") { request, context in try await list(request, context) }
        g.post("event-types") { request, context in try await create(request, context) }
        g.get("event-types/{type}") { _, context in try await get(context) }
        g.patch("event-types/{type}") { request, context in try await update(request, context) }
        g.post("event-types/{type}/deprecate") { _, context in try await deprecate(context) }
    }

    /// `{"data": {"items": [...]}}`, by type; deprecated entries only with `include_deprecated=true`.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.admin, .viewer)
        let includeDeprecated = try RequestParsing.bool(request, "include_deprecated") ?? false
        let items = try await eventTypes.list(includeDeprecated: includeDeprecated)
        return JSONResponse.make(json: EventTypeView.envelope(.object([("items", .array(items.map(EventTypeView.json)))])))
    }

    func get(_ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.admin, .viewer)
        return JSONResponse.make(json: EventTypeView.envelope(EventTypeView.json(try await eventTypes.get(pathType(context)))))
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        try EventTypeService.requireOperator(identity)
        let input = try EventTypeInput(json: try await body(request), creating: true)
        let created = try await eventTypes.create(input, by: identity)
        return JSONResponse.make(json: EventTypeView.envelope(EventTypeView.json(created), message: "Event type created"), status: .created)
    }

    func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        try EventTypeService.requireOperator(identity)
        let type = pathType(context)
        let input = try EventTypeInput(json: try await body(request), creating: false)
        let updated = try await eventTypes.update(type, input.change, by: identity)
        return JSONResponse.make(json: EventTypeView.envelope(EventTypeView.json(updated), message: "Event type updated"))
    }

    func deprecate(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.admin)
        let updated = try await eventTypes.update(pathType(context), EventTypeChange(deprecated: true), by: identity)
        return JSONResponse.make(json: EventTypeView.envelope(EventTypeView.json(updated), message: "Event type deprecated"))
    }

    private func pathType(_ context: AppRequestContext) -> String {
        context.parameters.get("type") ?? ""
    }

    /// The body parsed without loss (a schema keeps its numbers exactly), NUL refused.
    private func body(_ request: Request) async throws -> JSONValue {
        let buffer = try await BodyReader.collect(request, limit: EventTypeInput.maximumBodyBytes)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("E_INVALID_JSON", "the request body must be a JSON object") }
        try InputText.checkBody(buffer.readableBytesView)
        do throws(JSONParseError) {
            return try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw APIError.badRequest("E_INVALID_JSON", error.description)
        }
    }
}
