import Foundation
import Glibc
import NIOConcurrencyHelpers

/// The client command under test: started with Decoy's environment, its output going to ours
/// (so CI logs show it), stopped with SIGTERM and then SIGKILL when the scenario's time is up.
///
/// Spawned with `posix_spawn` rather than Foundation's `Process`, for two reasons found in
/// testing: a child started from a Swift concurrency thread inherits that thread's blocked
/// signals (SIGTERM among them, so it could only ever be killed) and ignored SIGPIPE; and the
/// client gets its own process group, so stopping it also stops what it started (a shell
/// script's curl), which would otherwise keep CI's output pipe open.
final class ClientProcess: Sendable {
    let processIdentifier: pid_t
    /// The exit status once known, and the task waiting for it.
    private let outcome = NIOLockedValueBox<(exit: Int32?, waiter: CheckedContinuation<Int32, Never>?)>((nil, nil))

    /// Starts `command` (its first word searched in `PATH` unless it holds a `/`).
    init(command: [String], environment: [String: String]) throws(ScenarioRunError) {
        guard let name = command.first else { throw .client("no client command given") }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        guard let executable = Self.locate(name, searchPath: path) else {
            throw .client(
                "the client command '\(name)' was not found\(name.contains("/") ? "" : " in PATH") or is not "
                    + "executable; give a path, or put it in PATH")
        }
        let arguments = [executable] + command.dropFirst()
        let variables = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let result = Self.spawn(executable, arguments: arguments, environment: variables, pid: &pid)
        guard result == 0 else {
            throw .client(
                "the client command '\(executable)' could not be started: \(String(cString: strerror(result)))")
        }
        processIdentifier = pid
        let thread = Thread { [self] in reap() }
        thread.name = "decoy client waiter"
        thread.start()
    }

    /// The exit status (128 + N when killed by signal N), once it exited. One caller at a time.
    func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = outcome.withLockedValue { outcome -> Int32? in
                if let exit = outcome.exit { return exit }
                outcome.waiter = continuation
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    var hasExited: Bool { outcome.withLockedValue { $0.exit != nil } }

    /// SIGTERM to the client's process group, then SIGKILL after `grace` if it is still running.
    /// Returns whether it had to be signalled (false when it had exited already). Does not wait
    /// for the exit status.
    func terminate(grace: Duration = .seconds(2)) async -> Bool {
        guard !hasExited else { return false }
        kill(-processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while !hasExited, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if !hasExited { kill(-processIdentifier, SIGKILL) }
        return true
    }

    /// Blocks a thread of its own in `waitpid` (never a concurrency thread).
    private func reap() {
        var status: Int32 = 0
        while waitpid(processIdentifier, &status, 0) == -1, errno == EINTR {}
        let signal = status & 0x7F
        let code = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        let continuation = outcome.withLockedValue { outcome -> CheckedContinuation<Int32, Never>? in
            outcome.exit = code
            defer { outcome.waiter = nil }
            return outcome.waiter
        }
        continuation?.resume(returning: code)
    }

    /// `posix_spawn` with an empty signal mask, default dispositions, a new process group, stdin
    /// from /dev/null and none of Decoy's other descriptors: a client that inherited the listening
    /// socket would hold the port through a restart (`restart.cgi` could not listen again, and
    /// new connections would queue on a socket nobody serves). Returns 0 or the error number.
    private static func spawn(
        _ executable: String, arguments: [String], environment: [String], pid: inout pid_t
    ) -> Int32 {
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        posix_spawnattr_init(&attributes)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attributes)
            posix_spawn_file_actions_destroy(&actions)
        }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        closeInheritedDescriptors(&actions)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        return posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    }

    /// Closes every descriptor above stderr in the child: glibc's `closefrom` file action where
    /// it exists (2.34 and later, looked up at run time as Swift does not import it), otherwise one
    /// close action per descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    static func locate(_ name: String, searchPath: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for folder in searchPath.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
