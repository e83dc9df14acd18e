import Foundation

/// The package root, from this file's path (`Tests/DecoyTestSupport/DecoyBinary.swift`).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The `decoy` command the tests run as a real binary.
enum DecoyBinary {
    /// The `decoy` built with this test bundle: in the same products folder, whatever the scratch
    /// path or configuration (`swift test --scratch-path … -c release`); the package's default
    /// `.build` folders only when the bundle's folder has none.
    static func path() throws -> String {
        let folders = productFolders + ["/.build/debug", "/.build/release"].map { packageRoot + $0 }
        for folder in folders {
            let path = (folder as NSString).appendingPathComponent("decoy")
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw ToolMissing(
            description:
                "no built decoy next to the test bundle or in \(packageRoot)/.build (looked in "
                + "\(folders.joined(separator: ", "))): build with `swift build --build-tests` first")
    }

    /// Where this test bundle was built: the folder of the `.xctest` bundle (macOS) or of the
    /// test executable (Linux, where the `.xctest` is the executable).
    static var productFolders: [String] {
        let bundles = Bundle.allBundles.map(\.bundleURL).filter { $0.pathExtension == "xctest" }
        let executables = [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])]
        let urls = bundles + executables.compactMap { $0?.resolvingSymlinksInPath() }
        var seen = Set<String>()
        return urls.map { $0.deletingLastPathComponent().path }.filter { seen.insert($0).inserted }
    }
}

/// A test precondition that does not hold, said in words.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
}
