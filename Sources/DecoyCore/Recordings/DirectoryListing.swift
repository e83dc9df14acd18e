#if canImport(Glibc)
    import Glibc
#endif

/// One entry of a folder with the facts the index needs, read with `readdir` and `fstatat`
/// (Foundation's attribute dictionaries cost several times more, and the index rebuild at start
/// reads every file of every camera).
struct DirectoryEntry: Sendable, Equatable {
    var name: String
    var bytes: Int64
    /// Modification time, Unix milliseconds.
    var modifiedMilliseconds: Int64
    var isRegularFile: Bool
    var isDirectory: Bool
}

enum DirectoryListing {
    /// The entries of `path` (without `.` and `..`, symlinks not followed); empty when it cannot be read.
    static func entries(of path: String) -> [DirectoryEntry] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        var result: [DirectoryEntry] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let kind = info.st_mode & S_IFMT
            result.append(
                DirectoryEntry(
                    name: name, bytes: Int64(info.st_size),
                    modifiedMilliseconds: Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000,
                    isRegularFile: kind == S_IFREG, isDirectory: kind == S_IFDIR))
        }
        return result
    }
}
