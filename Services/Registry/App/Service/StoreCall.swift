import ServiceKit
import Storage

/// Runs a store call, turning storage failures into API errors.
func storeCall<T>(_ body: () async throws -> T) async throws(APIError) -> T {
    do {
        return try await body()
    } catch let error as APIError {
        throw error
    } catch {
        throw APIError.from(StorageError.from(error))
    }
}

extension APIError {
    /// The API's answer to a storage failure: 503 `E_DB_UNAVAILABLE`, 409 `E_ENDPOINT_EXISTS` for a
    /// duplicate URL, 500 `E_INTERNAL` otherwise. The database's own words (constraint names, error
    /// text) go to the log as the cause, never into the answer.
    static func from(_ error: StorageError) -> APIError {
        switch error {
        case .unavailable(let message):
            var answer = APIError.databaseUnavailable()
            answer.cause = message
            return answer
        case .conflict(let constraint):
            if constraint == StorageConstraint.webhookURL {
                return .conflict("E_ENDPOINT_EXISTS", "a webhook with this URL already exists for the tenant")
            }
            var answer = APIError.conflict("E_CONFLICT", "the change conflicts with existing data")
            answer.cause = "constraint \(constraint)"
            return answer
        case .failed(let message):
            return .internalError(cause: "database error: \(message)")
        }
    }
}
