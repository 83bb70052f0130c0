/// The web console's static files, compiled into the registry from `Assets/` (no build step, nothing
/// fetched at run time). Names are flat: the console's pages refer to them as `/console/<name>`.
public enum ConsoleAssets {
    /// One file of the console.
    public struct Asset: Sendable {
        public let bytes: [UInt8]
        /// The `Content-Type` it is served with.
        public let contentType: String
    }

    /// The page every console URL starts from.
    public static let index = Asset(bytes: PackageResources.index_html, contentType: html)

    /// The file named `name` (`app.js`, `console.css`, ...), or `nil` when there is none.
    public static func asset(named name: String) -> Asset? {
        switch name {
        case "index.html": index
        case "console.css": Asset(bytes: PackageResources.console_css, contentType: "text/css; charset=utf-8")
        case "app.js": script(PackageResources.app_js)
        case "api.js": script(PackageResources.api_js)
        case "ui.js": script(PackageResources.ui_js)
        case "chart.js": script(PackageResources.chart_js)
        case "endpoints.js": script(PackageResources.endpoints_js)
        case "endpoint.js": script(PackageResources.endpoint_js)
        case "tasks.js": script(PackageResources.tasks_js)
        case "events.js": script(PackageResources.events_js)
        case "portal.js": script(PackageResources.portal_js)
        case "jobs.js": script(PackageResources.jobs_js)
        case "icon.svg": Asset(bytes: PackageResources.icon_svg, contentType: "image/svg+xml")
        default: nil
        }
    }

    private static let html = "text/html; charset=utf-8"

    private static func script(_ bytes: [UInt8]) -> Asset {
        Asset(bytes: bytes, contentType: "text/javascript; charset=utf-8")
    }
}
