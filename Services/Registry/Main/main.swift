import Foundation
import Hummingbird
import RegistryApp
import ServiceKit

let logger = LogSetup.logger(service: "registry")
do {
    let configuration = try RegistryConfiguration(environment: Environment())
    let app = try await buildRegistry(configuration: configuration, logger: logger)
    try await app.runService()
} catch let error as ConfigurationError {
    logger.critical("\(error.description)")
    exit(2)
}
