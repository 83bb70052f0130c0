import Foundation
import Hummingbird
import IngestApp
import ServiceKit

let logger = LogSetup.logger(service: "ingest")
do {
    let configuration = try IngestConfiguration(environment: Environment())
    let app = try await buildIngest(configuration: configuration, logger: logger)
    try await app.runService()
} catch let error as ConfigurationError {
    logger.critical("\(error.description)")
    exit(2)
}
