import DeliveryApp
import Foundation
import Hummingbird
import ServiceKit

let logger = LogSetup.logger(service: "delivery")
do {
    let configuration = try DeliveryConfiguration(environment: Environment())
    let app = try await buildDelivery(configuration: configuration, logger: logger)
    try await app.runService()
} catch let error as ConfigurationError {
    logger.critical("\(error.description)")
    exit(2)
}
