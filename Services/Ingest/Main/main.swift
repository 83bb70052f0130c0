import Hummingbird
import IngestApp
import ServiceKit

let logger = LogSetup.logger(service: "ingest")
await ServiceMain.run(logger: logger) {
    let configuration = try IngestConfiguration(environment: Environment())
    let app = try await buildIngest(configuration: configuration, logger: logger)
    try await app.runService()
}
