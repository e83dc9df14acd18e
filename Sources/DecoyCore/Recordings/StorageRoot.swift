import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The recordings folder: the one type that builds paths under it.
///
/// Layout is tinyCam's: `<root>/<camera name>/<recording name>`. Clients name files by the
/// *client path* `/<camera name>/<file name>` that `get_cam_event_list` hands out. Everything
/// that turns such a path into a file goes through `resolve`, which refuses anything but exactly
/// two plain components and then checks, after resolving symlinks, that the file is inside the
/// root — so no spelling of `..`, no absolute path and no symlink can reach the state folder (TLS
/// key, presets) or anything else on the machine.
public struct StorageRoot: Sendable, Equatable {
    /// Absolute path of the folder, symlinks resolved, without a trailing slash.
    public let path: String

    /// Uses (and creates) the folder at `path`.
    public init(path: String) throws(StorageError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreate(path, "\(error.localizedDescription)")
        }
        guard let real = Self.realPath(path) else { throw .cannotCreate(path, "the folder cannot be resolved") }
        self.path = real
    }

    /// Prefix of the files a recording writes before they are complete. They are renamed to their
    /// final names once written and synced, so a crash leaves only such files, which are never
    /// listed and are removed at start.
    public static let temporaryPrefix = ".partial-"

    /// Folder of one camera's recordings.
    public func folder(camera: String) -> String { path + "/" + camera }

    /// Where a file of `camera` lives.
    public func file(camera: String, name: String) -> String { folder(camera: camera) + "/" + name }

    /// A fresh temporary file name in the camera's folder (created on demand), for a recording in progress.
    public func temporaryFile(camera: String, label: String) throws(StorageError) -> String {
        let folder = folder(camera: camera)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreate(folder, "\(error.localizedDescription)")
        }
        let random = UInt64.random(in: 0...UInt64.max)
        return folder + "/" + Self.temporaryPrefix + label + "-" + String(random, radix: 16)
    }

    /// The client path (`/<camera>/<file>`) of a file.
    public static func clientPath(camera: String, name: String) -> String { "/" + camera + "/" + name }

    /// Splits a client path into camera folder and file name, or nil when it is not exactly
    /// `/<camera>/<file>` with plain names: no empty, `.` or `..` component, no backslash, no NUL.
    public static func components(ofClientPath clientPath: String) -> (camera: String, name: String)? {
        guard clientPath.hasPrefix("/") else { return nil }
        let parts = clientPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ part in
                !part.isEmpty && part != "." && part != ".." && !part.contains("\\") && !part.utf8.contains(0)
            })
        else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// Whether a camera's folder is a real folder directly inside the root (not a symlink out of it).
    public func isOwnFolder(camera: String) -> Bool {
        Self.realPath(folder(camera: camera)).map { $0 == folder(camera: camera) } ?? true
    }

    /// The absolute path of the regular file a client path names, only when it resolves (symlinks
    /// followed) to a file inside this root; nil otherwise, without saying why.
    public func resolve(clientPath: String) -> String? {
        guard let (camera, name) = Self.components(ofClientPath: clientPath),
            let real = Self.realPath(file(camera: camera, name: name)), real.hasPrefix(path + "/")
        else { return nil }
        var info = stat()
        guard stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return real
    }

    /// Whether a camera name can be a folder here: not empty, not `.`/`..`, no `/`, `\\` or NUL (a
    /// backslash could never be named in a client path), not hidden, and at most 255 bytes (the
    /// usual file-name limit).
    public static func isValidCameraFolder(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\\")
            && !name.utf8.contains(0)
            && !name.hasPrefix(".") && name.utf8.count <= 255
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// Why the recordings folder or one of its files could not be used.
public enum StorageError: Error, Equatable, CustomStringConvertible {
    case cannotCreate(String, String)
    case notFound(String)
    /// The action would overwrite another recording.
    case conflict(String)
    case failed(String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason): "cannot create the recordings folder \(path): \(reason)"
        case .notFound(let path): "no recording \(path)"
        case .conflict(let reason): reason
        case .failed(let reason): reason
        }
    }
}
