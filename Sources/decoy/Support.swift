import DecoyCore
import DecoyServer
import Foundation

/// The default state folder: `$XDG_DATA_HOME/decoy`, else `~/.local/share/decoy`.
enum StateFolder {
    static func defaultPath() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/decoy" }
        return (environment["HOME"] ?? NSTemporaryDirectory()) + "/.local/share/decoy"
    }
}

/// The one line Decoy logs when it is up: where, with which users, and how to change that.
enum StartupBanner {
    static func text(
        settings: DecoyConfig, runtime: DecoyRuntime, stateDirectory: String, configFile: String?
    ) -> String {
        let scheme = settings.server.https ? "https" : "http"
        let host =
            settings.server.listen.host.contains(":") ? "[\(settings.server.listen.host)]" : settings.server.listen.host
        let defaults = Set(settings.usersWithDefaultPasswords)
        let users = settings.users.map { user in
            "\(user.name) (\(user.role.rawValue)\(defaults.contains(user.name) ? ", password '\(user.password)'" : ""))"
        }.joined(separator: ", ")
        let cameras = settings.cameras.map(\.name).joined(separator: ", ")
        let source =
            configFile.map { "config \($0)" }
            ?? "embedded default (change with --config FILE; see Fixtures/decoy.example.yaml)"
        return "Decoy \(DecoyVersion.string) listening on \(scheme)://\(host):\(runtime.port) with \(source); "
            + "users: \(users); cameras: \(cameras); state in \(stateDirectory)"
            + (runtime.certificatePath.map { "; certificate \($0)" } ?? "")
    }
}

/// Many viewers need many sockets: lift the soft open-file limit to the hard one.
enum FileLimits {
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

/// Waits for SIGINT or SIGTERM (Ctrl-C, `kill`, service managers), so Decoy can close its
/// connections and threads cleanly.
enum ShutdownSignal {
    static func wait() async {
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        for await _ in signals { break }
        sources.forEach { $0.cancel() }
    }
}
