#if canImport(Glibc)
    import Glibc
#endif

/// The open-file limit of this process (tests open many sockets).
enum FileLimit {
    /// Raises the soft limit to at least `minimum` (never above the hard limit); returns the soft limit now in force.
    @discardableResult
    static func raise(to minimum: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < rlim_t(minimum) {
            limit.rlim_cur = min(limit.rlim_max, rlim_t(minimum))
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(limit.rlim_cur)
    }
}
