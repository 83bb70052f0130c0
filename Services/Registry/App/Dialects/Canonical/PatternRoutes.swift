import Hummingbird
import Patterns
import ServiceKit

/// `POST /api/v1/patterns/validate`: checks a `resource_key_pattern` the way creating a webhook
/// would, without saving anything, so a form can show what is wrong while it is typed.
struct PatternRoutes: Sendable {
    struct ValidateRequest: Decodable {
        var resource_key_pattern: String
    }

    /// The verdict; `position` (1-based character) and `reason` say what is wrong when invalid.
    struct VerdictView: ExplicitNulls {
        let valid: Bool
        let error_code: String?
        let message: String?
        let position: Int?
        let reason: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/v1/patterns/validate") { request, context in try await validate(request, context) }
    }

    func validate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.admin, .viewer)
        let body = try await BodyReader.decode(ValidateRequest.self, from: request, limit: 16 << 10)
        let verdict: VerdictView
        do throws(ResourcePatternError) {
            try ResourcePatternValidator.validate(body.resource_key_pattern)
            verdict = VerdictView(valid: true, error_code: nil, message: nil, position: nil, reason: nil)
        } catch {
            verdict = VerdictView(
                valid: false, error_code: "E_INVALID_PATTERN", message: "'resource_key_pattern' \(error.description)", position: error.position,
                reason: error.reason)
        }
        return try JSONResponse.make(Envelope(message: verdict.valid ? "Valid pattern" : "Invalid pattern", data: verdict))
    }
}
