import DecoyServer

/// How network faults of several rules that hit one request combine into its `ExchangeFaults`:
/// each kind once, the first rule (in draw order) winning, so the outcome is as deterministic as
/// the draws.
enum TransportFaultMerge {
    /// Adds `fault` unless a rule before already set that kind; whether it was added.
    static func add(_ fault: NetworkFault, to faults: inout ExchangeFaults) -> Bool {
        switch fault {
        case .reset:
            guard !faults.reset else { return false }
            faults.reset = true
        case .stall(let milliseconds):
            guard faults.stallMilliseconds == nil else { return false }
            faults.stallMilliseconds = milliseconds
        case .bandwidth(let rate):
            guard faults.bytesPerSecond == nil else { return false }
            faults.bytesPerSecond = rate
        case .closeAfterBytes(let count):
            guard faults.closeAfterBytes == nil else { return false }
            faults.closeAfterBytes = count
        case .closeAfterFrames(let count):
            guard faults.closeAfterFrames == nil else { return false }
            faults.closeAfterFrames = count
        case .refuse:
            return false
        }
        return true
    }
}
