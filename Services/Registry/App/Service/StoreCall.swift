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
    /// duplicate URL, 500 otherwise.
    static func from(_ error: StorageError) -> APIError {
        switch error {
        case .unavailable: return .databaseUnavailable()
        case .conflict(let constraint):
            if constraint == "webhooks_tenant_url_unique" {
                return .conflict("E_ENDPOINT_EXISTS", "a webhook with this URL already exists for the tenant")
            }
            return .conflict("E_CONFLICT", "the change conflicts with existing data (\(constraint))")
        case .failed(let message):
            return .internalError("internal error: \(message)")
        }
    }
}
