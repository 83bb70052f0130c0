import Hummingbird
import RegistryApp
import ServiceKit

let logger = LogSetup.logger(service: "registry")
await ServiceMain.run(logger: logger) {
    let configuration = try RegistryConfiguration(environment: Environment())
    let app = try await buildRegistry(configuration: configuration, logger: logger)
    try await app.runService()
}
