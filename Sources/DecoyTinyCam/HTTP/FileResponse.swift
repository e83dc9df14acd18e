import DecoyCore
import Glibc

/// A part of a file on disk for the transport to stream: the answer carries the path, never the
/// bytes, so a 100 MB recording is never held in memory and a HEAD request never reads it.
public struct FileBody: Sendable, Equatable {
    public var path: String
    public var offset: Int64
    public var length: Int64

    public init(path: String, offset: Int64, length: Int64) {
        self.path = path
        self.offset = offset
        self.length = length
    }
}

/// Why a file cannot be served. The API answers every case with the same 404 (a client must not
/// learn what exists outside what it may see); the description is for the log.
public enum FileResponseError: Error, Equatable, CustomStringConvertible {
    /// Nothing at that path (or a path component is not a folder).
    case notFound(path: String)
    /// A folder, FIFO, device or socket: only regular files are served.
    case notARegularFile(path: String)
    /// It exists but cannot be read (permissions, a symbolic-link loop, an I/O error).
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path): "\(path) does not exist"
        case .notARegularFile(let path): "\(path) is not a regular file (a folder, FIFO or device is never served)"
        case .unreadable(let path, let reason): "\(path) cannot be read: \(reason)"
        }
    }
}

extension TinyCamResponse {
    /// The answer to a GET or HEAD of the file at `path` (RFC 9110 §13 and §14), built from one
    /// `stat` and never reading the file:
    ///
    /// - 304 when `If-None-Match` matches the ETag (weak comparison, `*` matches any file) or,
    ///   without `If-None-Match`, when the file is not newer than `If-Modified-Since`;
    /// - 206 with `Content-Range` for a single satisfiable `Range` of a GET (see `ByteRange.select`),
    ///   honoured only when `If-Range` (if any) names the current version;
    /// - 416 with `Content-Range: bytes */size` when the range starts past the end;
    /// - 200 with the whole file otherwise.
    ///
    /// Every answer but 304 and 416 has `Content-Type: contentType`, `Accept-Ranges: bytes`, a
    /// strong `ETag` (size, modification time in nanoseconds and inode, so a rewritten or renamed
    /// file gets a new one) and `Last-Modified`. The caller resolves a safe path first and maps
    /// every error to its 404.
    public static func file(
        atPath path: String, contentType: String, request: TinyCamRequest
    ) throws(FileResponseError) -> TinyCamResponse {
        let version = try FileVersion(path: path)
        return FileAnswer(version: version, request: request, now: FileVersion.currentUnixSeconds())
            .response(path: path, contentType: contentType)
    }

    /// The `Content-Type` of a recording (`.mp4`) or thumbnail (`.jpg`, `.mp4.jpg`), by the last
    /// extension, case-insensitively; anything else is `application/octet-stream`.
    public static func contentType(forFileName name: String) -> String {
        let base = name.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = base.lastIndex(of: ".") else { return "application/octet-stream" }
        switch base[base.index(after: dot)...].lowercased() {
        case "mp4": return "video/mp4"
        case "jpg", "jpeg": return "image/jpeg"
        default: return "application/octet-stream"
        }
    }
}

/// What identifies one version of a file: its validators come from here.
struct FileVersion: Equatable {
    var size: Int64
    var modifiedSeconds: Int64
    var modifiedNanoseconds: Int64
    var inode: UInt64

    init(size: Int64, modifiedSeconds: Int64, modifiedNanoseconds: Int64, inode: UInt64) {
        self.size = size
        self.modifiedSeconds = modifiedSeconds
        self.modifiedNanoseconds = modifiedNanoseconds
        self.inode = inode
    }

    /// `stat`s `path` (following symbolic links, as opening it will).
    init(path: String) throws(FileResponseError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .notFound(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(code)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notARegularFile(path: path) }
        guard access(path, R_OK) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let modified = info.st_mtim
        self.init(
            size: Int64(info.st_size), modifiedSeconds: Int64(modified.tv_sec),
            modifiedNanoseconds: Int64(modified.tv_nsec), inode: UInt64(info.st_ino))
    }

    /// A strong validator: any change of content rewrites size or modification time, and a file
    /// replaced by another (pin renames, a new recording under an old name) has another inode.
    var entityTag: String {
        let nanoseconds = modifiedSeconds &* 1_000_000_000 &+ modifiedNanoseconds
        return "\"\(String(size, radix: 16))-\(String(nanoseconds, radix: 16))-\(String(inode, radix: 16))\""
    }

    var lastModified: String { CivilTime.httpDate(modifiedSeconds &* 1000) }

    static func currentUnixSeconds() -> Int64 { Int64(time(nil)) }
}

/// The conditional and range logic of one request against one file version.
struct FileAnswer {
    let version: FileVersion
    let request: TinyCamRequest
    /// Wall-clock seconds, for the rule that a modification date is a strong validator only when
    /// it is at least a second old (RFC 9110 §8.8.2.2).
    let now: Int64

    func response(path: String, contentType: String) -> TinyCamResponse {
        let validators = [("ETag", version.entityTag), ("Last-Modified", version.lastModified)]
        if isNotModified {
            return TinyCamResponse(status: .notModified, headers: validators, body: .bytes(.init()))
        }
        let common = [("Content-Type", contentType), ("Accept-Ranges", "bytes")] + validators
        switch selection {
        case .whole:
            return TinyCamResponse(
                status: .ok, headers: common, body: .file(FileBody(path: path, offset: 0, length: version.size)))
        case .partial(let range):
            return TinyCamResponse(
                status: .partialContent, headers: common + [("Content-Range", range.contentRange(size: version.size))],
                body: .file(FileBody(path: path, offset: range.offset, length: range.length)))
        case .unsatisfiable:
            return .failure(
                .rangeNotSatisfiable, "The requested range starts past the end of the file (\(version.size) bytes).",
                headers: [("Content-Range", "bytes */\(version.size)"), ("Accept-Ranges", "bytes")])
        }
    }

    private var isGetOrHead: Bool { request.method == "GET" || request.method == "HEAD" }

    /// RFC 9110 §13.2.2 steps 3 and 4.
    var isNotModified: Bool {
        guard isGetOrHead else { return false }
        let noneMatch = values(of: "If-None-Match")
        if !noneMatch.isEmpty {
            let tags = EntityTagList(noneMatch.joined(separator: ","))
            return tags.matchesAny || tags.tags.contains { $0.opaque == version.entityTag }
        }
        let since = values(of: "If-Modified-Since")
        guard since.count == 1, let date = HTTPDate.parse(since[0]) else { return false }
        return version.modifiedSeconds <= date
    }

    /// RFC 9110 §13.2.2 step 5: `Range` of a GET, when `If-Range` allows it.
    var selection: ByteRange.Selection {
        let ranges = values(of: "Range")
        guard request.method == "GET", ranges.count == 1, ifRangeHolds else { return .whole }
        return ByteRange.select(ranges[0], size: version.size)
    }

    /// `If-Range` with an entity tag holds on a strong match; with a date, when it is exactly the
    /// `Last-Modified` date of a file last changed at least a second ago. Anything else: whole file.
    private var ifRangeHolds: Bool {
        let conditions = values(of: "If-Range")
        guard let condition = conditions.first else { return true }
        guard conditions.count == 1 else { return false }
        let trimmed = condition.trimmingSpaces
        if trimmed.hasPrefix("\"") || trimmed.hasPrefix("W/") {
            let tags = EntityTagList(trimmed).tags
            return tags.count == 1 && !tags[0].weak && tags[0].opaque == version.entityTag
        }
        guard let date = HTTPDate.parse(trimmed) else { return false }
        return date == version.modifiedSeconds && now - version.modifiedSeconds >= 1
    }

    private func values(of name: String) -> [String] {
        let lowered = name.lowercased()
        return request.headers.filter { $0.name.lowercased() == lowered }.map(\.value)
    }
}
