import Foundation

/// Every file under `Assets/`, from the byte arrays SwiftPM generates (`.embedInCode`): the
/// pages ship inside the binary and nothing is looked up on disk at run time.
///
/// SwiftPM flattens the folder and names each array after its file (`camera-app.js` becomes
/// `camera_app_js`), so file names are unique and each one is listed here; a test checks that
/// this list and the folder agree.
enum WebCatalog {
    static let embedded: [String: [UInt8]] = [
        "base.css": PackageResources.base_css,
        "ui.js": PackageResources.ui_js,
        "favicon.svg": PackageResources.favicon_svg,
        "camera.html": PackageResources.camera_html,
        "camera.css": PackageResources.camera_css,
        "camera-app.js": PackageResources.camera_app_js,
        "camera-api.js": PackageResources.camera_api_js,
        "camera-live.js": PackageResources.camera_live_js,
        "camera-events.js": PackageResources.camera_events_js,
        "camera-admin.js": PackageResources.camera_admin_js,
        "console.html": PackageResources.console_html,
        "console.css": PackageResources.console_css,
        "console-app.js": PackageResources.console_app_js,
        "console-journal.js": PackageResources.console_journal_js,
        "console-scenario.js": PackageResources.console_scenario_js,
        "console-poke.js": PackageResources.console_poke_js,
        "console-health.js": PackageResources.console_health_js,
    ]

    /// The embedded files as assets, tags computed once.
    static let assets: [String: WebAsset] = embedded.reduce(into: [:]) { assets, file in
        assets[file.key] = WebAsset(name: file.key, bytes: file.value)
    }

    /// The environment variable naming a folder to read the files from instead, at every
    /// request: for working on the pages without rebuilding Decoy. Only the names listed here are
    /// read from it.
    static let developmentFolderVariable = "DECOY_WEB_DIR"

    /// `name`'s asset: from the development folder when one is set (and holds the file), else
    /// embedded; nil for a name that is not embedded, whatever the folder holds.
    static func asset(
        named name: String,
        developmentFolder: String? = ProcessInfo.processInfo.environment[developmentFolderVariable]
    ) -> WebAsset? {
        guard embedded[name] != nil else { return nil }
        if let folder = developmentFolder, !folder.isEmpty,
            let data = FileManager.default.contents(atPath: folder + "/" + name)
        {
            return WebAsset(name: name, bytes: Array(data))
        }
        return assets[name]
    }
}
