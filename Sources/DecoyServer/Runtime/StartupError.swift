import DecoyCore
import Glibc
import NIOCore

/// Why Decoy could not start serving, classified so the command line can say what to change:
/// another port when the address is in use, a port above 1024 when binding needs privileges, an
/// address of this machine, a writable state folder, a readable certificate and key.
public struct StartupError: Error, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Another socket is bound to the address (`EADDRINUSE`).
        case addressInUse
        /// Binding needs privileges (`EACCES`/`EPERM`: a port below 1024 without root).
        case permissionDenied
        /// The host is not an address of this machine, or does not resolve (`EADDRNOTAVAIL`).
        case addressNotAvailable
        /// The state folder cannot be created or written.
        case stateDirectory
        /// The HTTPS certificate or key cannot be read, parsed or generated.
        case certificate
        /// Anything else the OS refused.
        case other
    }

    public let reason: Reason
    /// The whole message: what failed, on which address or file, and the OS's word for it.
    public let description: String

    public init(_ reason: Reason, _ description: String) {
        self.reason = reason
        self.description = description
    }

    /// A failure to listen on `address`, classified by its `errno` (for any listener of Decoy's).
    public init(listening address: ListenAddress, error: any Error) {
        let prefix = "cannot listen on \(address)"
        switch error {
        case let error as IOError:
            switch error.errnoCode {
            case EADDRINUSE:
                self.init(.addressInUse, "\(prefix): the address is already in use")
            case EACCES, EPERM:
                self.init(.permissionDenied, "\(prefix): permission denied (ports below 1024 need privileges)")
            case EADDRNOTAVAIL:
                self.init(.addressNotAvailable, "\(prefix): \(address.host) is not an address of this machine")
            default:
                self.init(.other, "\(prefix): \(error)")
            }
        case is SocketAddressError.UnknownHost, is SocketAddressError:
            self.init(.addressNotAvailable, "\(prefix): the host '\(address.host)' does not resolve to an address")
        default:
            self.init(.other, "\(prefix): \(error)")
        }
    }

    /// Creates `path` and its missing parents (like `mkdir -p`), saying which component failed and
    /// why: Foundation's error on Linux carries no more than "The operation could not be completed".
    static func makeStateFolder(_ path: String) throws(StartupError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) == 0 { continue }
            let code = errno
            var info = stat()
            if code == EEXIST && stat(prefix, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { continue }
            let reason =
                code == EEXIST
                ? "\(prefix) exists and is not a folder" : "\(prefix): \(String(cString: strerror(code)))"
            throw StartupError(.stateDirectory, "cannot create the state folder \(path): \(reason)")
        }
        guard access(path, W_OK) == 0 else {
            let reason = String(cString: strerror(errno))
            throw StartupError(.stateDirectory, "cannot write into the state folder \(path): \(reason)")
        }
    }
}
