import DeliveryApp
import Hummingbird
import ServiceKit

let logger = LogSetup.logger(service: "delivery")
await ServiceMain.run(logger: logger) {
    let configuration = try DeliveryConfiguration(environment: Environment())
    let app = try await buildDelivery(configuration: configuration, logger: logger)
    try await app.runService()
}
