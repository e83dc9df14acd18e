import Foundation

/// A page Decoy serves at `/` and the files it loads from `/web/<name>`.
///
/// The camera page goes on the tinyCam port (a real tinyCam serves its web client there, and an
/// Axis camera its own page); the console goes on the control listener only. Each site serves
/// only its own files, so nothing of the console is reachable on the emulated surface.
public enum WebSite: String, Sendable, CaseIterable {
    /// Login, live grid, one camera with PTZ, events and clips, status, settings and logs, built
    /// on the public tinyCam API alone.
    case camera
    /// The harness console: scenario timeline and verdicts, the live journal, actions, rules and
    /// per-camera health, built on the control API.
    case console

    /// Where the files of both pages are served from.
    public static let assetPrefix = "/web/"

    /// The document served at `/`.
    public var document: String { rawValue + ".html" }

    /// The files this site serves under `/web/`, the document included.
    public var files: [String] {
        let shared = ["base.css", "ui.js", "favicon.svg"]
        let own = WebCatalog.embedded.keys.filter { $0.hasPrefix(rawValue + "-") || $0.hasPrefix(rawValue + ".") }
        return (shared + own).sorted()
    }

    /// The total size of everything this site serves, in bytes (the weight budget is 150 KB for
    /// both pages together).
    public var weight: Int { files.compactMap { WebCatalog.asset(named: $0)?.bytes.count }.reduce(0, +) }

    /// The answer for `path` (already percent-decoded, without the query), or nil when `path` is
    /// not one of this site's: the caller then routes it as before. `/` is the document; only GET
    /// and HEAD are answered (405 otherwise); `ifNoneMatch` matching the file's tag gives 304.
    public func answer(path: String, method: String, ifNoneMatch: String?) -> WebAnswer? {
        let name: String
        if path == "/" {
            name = document
        } else if path.hasPrefix(Self.assetPrefix) {
            name = String(path.dropFirst(Self.assetPrefix.count))
            guard files.contains(name) else { return nil }
        } else {
            return nil
        }
        guard method == "GET" || method == "HEAD" else {
            return WebAnswer(
                status: 405, reason: "Method Not Allowed", headers: [.init("Allow", "GET, HEAD")] + textType,
                body: Array("\(path) answers GET and HEAD, not \(method)\n".utf8))
        }
        guard let asset = WebCatalog.asset(named: name) else { return nil }
        let validators = [WebAnswer.Header("ETag", asset.entityTag), .init("Cache-Control", Self.cacheControl)]
        if let ifNoneMatch, Self.matches(ifNoneMatch, tag: asset.entityTag) {
            return WebAnswer(status: 304, reason: "Not Modified", headers: validators, body: [])
        }
        var headers = [WebAnswer.Header("Content-Type", asset.contentType)] + validators
        headers.append(.init("X-Content-Type-Options", "nosniff"))
        if name == document {
            headers += [
                .init("Content-Security-Policy", Self.contentSecurityPolicy), .init("Referrer-Policy", "no-referrer"),
            ]
        }
        return WebAnswer(status: 200, reason: "OK", headers: headers, body: asset.bytes)
    }

    private var textType: [WebAnswer.Header] { [.init("Content-Type", "text/plain; charset=utf-8")] }

    /// Revalidate every time: the files are small and a 304 on loopback costs nothing, while a
    /// newer Decoy must never run a page mixed from old and new files.
    public static let cacheControl = "no-cache"

    /// Scripts, styles, pictures, clips and requests from this origin only; no inline script or
    /// style, no plugins, no frames, no forms posting anywhere; and Trusted Types, so a string can
    /// never become markup (the pages build every element with the DOM API and show text with
    /// `textContent`, whatever a journal entry or camera name holds).
    public static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
        + "require-trusted-types-for 'script'; trusted-types 'none'"

    /// `If-None-Match` (RFC 9110 §13.1.2): `*`, or a list of tags compared weakly.
    static func matches(_ header: String, tag: String) -> Bool {
        header.split(separator: ",").contains { member in
            var value = member.trimmingCharacters(in: .whitespaces)
            if value == "*" { return true }
            if value.hasPrefix("W/") { value.removeFirst(2) }
            return value == tag
        }
    }
}
