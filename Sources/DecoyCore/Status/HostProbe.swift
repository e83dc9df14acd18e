import Foundation

/// Reads real values of the host and of Decoy's own process from Linux's `/proc` and `/sys`,
/// for `get_status` (which reports an Android phone's equivalents).
///
/// Each reader returns nil where the value does not exist on this host (e.g. no cpufreq), and
/// the caller falls back to tinyCam's "unavailable" value.
public enum HostProbe {
    /// (available, used) memory of the host in bytes.
    public static func memory() -> (available: Int64, used: Int64)? {
        guard let text = read("/proc/meminfo") else { return nil }
        func kilobytes(_ key: String) -> Int64? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int64($0) }
        }
        guard let total = kilobytes("MemTotal"), let available = kilobytes("MemAvailable") else { return nil }
        return (available * 1024, (total - available) * 1024)
    }

    /// Cumulative (busy, total) CPU jiffies of the host, for a usage percentage between two readings.
    public static func cpuTimes() -> (busy: Int64, total: Int64)? {
        guard let text = read("/proc/stat"), let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else {
            return nil
        }
        let values = line.split(separator: " ").dropFirst().compactMap { Int64($0) }
        guard values.count >= 4 else { return nil }
        let idle = values[3] + (values.count > 4 ? values[4] : 0)
        let total = values.reduce(0, +)
        return (total - idle, total)
    }

    /// Current frequency of the first CPU in MHz.
    public static func cpuFrequencyMHz() -> Int? {
        if let text = read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq"),
            let khz = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return khz / 1000
        }
        guard let text = read("/proc/cpuinfo"),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu MHz") }),
            let value = line.split(separator: ":").last.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) })
        else { return nil }
        return Int(value.rounded())
    }

    /// Resident memory of this process in bytes.
    public static func residentBytes() -> Int64? {
        statusField("VmRSS").map { $0 * 1024 }
    }

    /// (threads, runnable threads) of this process.
    public static func threads() -> (all: Int, runnable: Int)? {
        guard let all = statusField("Threads") else { return nil }
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let runnable = tasks.filter { task in
            guard let stat = read("/proc/self/task/\(task)/stat"), let close = stat.lastIndex(of: ")") else {
                return false
            }
            return stat[stat.index(close, offsetBy: 2)...].hasPrefix("R")
        }.count
        return (Int(all), max(1, runnable))
    }

    /// Free bytes on the file system holding `path`.
    public static func availableBytes(at path: String) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// Bytes taken by the files under `path` (recordings, certificates, presets), visiting at most
    /// `limit` entries so a huge tree cannot stall a status request.
    public static func usedBytes(under path: String, limit: Int = 100_000) -> Int64 {
        guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: Int64 = 0
        var visited = 0
        while visited < limit, walker.nextObject() != nil {
            visited += 1
            if let attributes = walker.fileAttributes, attributes[.type] as? FileAttributeType == .typeRegular {
                total += (attributes[.size] as? NSNumber)?.int64Value ?? 0
            }
        }
        return total
    }

    private static func statusField(_ key: String) -> Int64? {
        guard let text = read("/proc/self/status"),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") })
        else { return nil }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int64($0) }
    }

    private static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
