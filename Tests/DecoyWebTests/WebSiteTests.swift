import Foundation
import Testing

@testable import DecoyTestSupport
@testable import DecoyWeb

/// The pages' files and how they are answered, without a server.
@Suite struct WebSiteTests {
    static let assetsFolder = packageRoot + "/Sources/DecoyWeb/Assets"

    static func fileNames() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: assetsFolder))
    }

    @Test func everyFileInAssetsIsEmbeddedAndServedBySomeSite() throws {
        let files = try Self.fileNames()
        #expect(Set(WebCatalog.embedded.keys) == files)
        #expect(Set(WebSite.allCases.flatMap(\.files)) == files)
    }

    @Test func bothPagesTogetherWeighAtMost150KB() throws {
        let total = try Self.fileNames().compactMap { WebCatalog.asset(named: $0, developmentFolder: nil)?.bytes.count }
            .reduce(0, +)
        #expect(total <= 150_000, "the pages weigh \(total) bytes")
        #expect(WebSite.camera.weight + WebSite.console.weight > total, "the shared files count for both")
    }

    @Test func eachSiteServesOnlyItsOwnFiles() {
        #expect(WebSite.camera.answer(path: "/web/console-app.js", method: "GET", ifNoneMatch: nil) == nil)
        #expect(WebSite.camera.answer(path: "/web/console.html", method: "GET", ifNoneMatch: nil) == nil)
        #expect(WebSite.console.answer(path: "/web/camera-live.js", method: "GET", ifNoneMatch: nil) == nil)
        #expect(WebSite.camera.answer(path: "/web/ui.js", method: "GET", ifNoneMatch: nil)?.status == 200)
        #expect(WebSite.console.answer(path: "/web/ui.js", method: "GET", ifNoneMatch: nil)?.status == 200)
        #expect(WebSite.camera.answer(path: "/api/v1/login", method: "GET", ifNoneMatch: nil) == nil)
        #expect(WebSite.camera.answer(path: "/web/", method: "GET", ifNoneMatch: nil) == nil)
        #expect(WebSite.camera.answer(path: "/web/../Package.swift", method: "GET", ifNoneMatch: nil) == nil)
    }

    @Test func theDocumentCarriesAStrictPolicyAndValidators() throws {
        let answer = try #require(WebSite.camera.answer(path: "/", method: "GET", ifNoneMatch: nil))
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "text/html; charset=utf-8")
        #expect(answer.header("Cache-Control") == "no-cache")
        #expect(answer.header("X-Content-Type-Options") == "nosniff")
        let policy = try #require(answer.header("Content-Security-Policy"))
        for directive in [
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
            "require-trusted-types-for 'script'",
        ] {
            #expect(policy.contains(directive), "\(policy)")
        }
        #expect(!policy.contains("unsafe"), "\(policy)")
        let tag = try #require(answer.header("ETag"))
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count == 18)
        let file = try Data(contentsOf: URL(fileURLWithPath: Self.assetsFolder + "/camera.html"))
        #expect(answer.body == Array(file))
        let script = try #require(WebSite.camera.answer(path: "/web/camera-app.js", method: "HEAD", ifNoneMatch: nil))
        #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(script.header("Content-Security-Policy") == nil)
    }

    @Test(arguments: ["", "W/", "\"other\", W/"])
    func aMatchingIfNoneMatchAnswers304WithoutBody(prefix: String) throws {
        let tag = try #require(WebSite.console.answer(path: "/", method: "GET", ifNoneMatch: nil)?.header("ETag"))
        let answer = try #require(WebSite.console.answer(path: "/", method: "GET", ifNoneMatch: prefix + tag))
        #expect(answer.status == 304)
        #expect(answer.body.isEmpty)
        #expect(answer.header("ETag") == tag)
        #expect(WebSite.console.answer(path: "/", method: "GET", ifNoneMatch: "*")?.status == 304)
        #expect(WebSite.console.answer(path: "/", method: "GET", ifNoneMatch: "\"other\"")?.status == 200)
    }

    @Test func otherMethodsAre405() throws {
        let answer = try #require(WebSite.camera.answer(path: "/", method: "POST", ifNoneMatch: nil))
        #expect(answer.status == 405)
        #expect(answer.header("Allow") == "GET, HEAD")
    }

    @Test func aDevelopmentFolderReplacesOnlyKnownFiles() throws {
        let folder = NSTemporaryDirectory() + "decoy-web-dev-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "export const edited = 1;\n".write(toFile: folder + "/ui.js", atomically: true, encoding: .utf8)
        try "secret".write(toFile: folder + "/extra.js", atomically: true, encoding: .utf8)
        let edited = try #require(WebCatalog.asset(named: "ui.js", developmentFolder: folder))
        #expect(String(decoding: edited.bytes, as: UTF8.self) == "export const edited = 1;\n")
        #expect(edited.entityTag != WebCatalog.assets["ui.js"]?.entityTag)
        #expect(WebCatalog.asset(named: "extra.js", developmentFolder: folder) == nil)
        #expect(WebCatalog.asset(named: "base.css", developmentFolder: folder) == WebCatalog.assets["base.css"])
    }

    /// Every `/web/…` file a page names (links, scripts, module imports) is one its site serves.
    @Test(arguments: WebSite.allCases)
    func everyReferencedFileIsServedByTheSameSite(site: WebSite) throws {
        var names: Set<String> = []
        for file in site.files where file.hasSuffix(".html") || file.hasSuffix(".js") {
            let text = try String(contentsOfFile: Self.assetsFolder + "/" + file, encoding: .utf8)
            var rest = text[...]
            while let range = rest.range(of: "/web/") {
                let name = rest[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }
                if name.contains(".") { names.insert(String(name)) }
                rest = rest[range.upperBound...]
            }
        }
        #expect(!names.isEmpty)
        for name in names.sorted() {
            #expect(site.files.contains(name), "\(site) refers to /web/\(name), which it does not serve")
        }
    }

    /// The policy forbids inline code and Trusted Types forbids strings as markup: the files must
    /// not rely on either, or the pages would break in the browser.
    @Test func noInlineCodeAndNoMarkupFromStrings() throws {
        for file in try Self.fileNames() {
            let text = try String(contentsOfFile: Self.assetsFolder + "/" + file, encoding: .utf8)
            if file.hasSuffix(".html") {
                #expect(
                    !text.contains("<script>") && !text.contains("style=\"") && !text.contains(" onclick="), "\(file)")
                #expect(!text.contains("<style"), "\(file)")
            }
            if file.hasSuffix(".js") {
                for sink in ["innerHTML", "outerHTML =", "insertAdjacentHTML", "document.write", "eval("] {
                    #expect(!text.contains(sink), "\(file) uses \(sink)")
                }
            }
        }
    }
}
