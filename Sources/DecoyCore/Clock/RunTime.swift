/// Times in a run are whole milliseconds since t = 0; this renders them for people.
public enum RunTime {
    /// `3 s`, `1.25 s`, `500 ms` → "0.5 s": seconds with up to three decimals, trailing zeros dropped.
    public static func text(_ milliseconds: Int64) -> String {
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = milliseconds.magnitude
        let whole = magnitude / 1000
        var fraction = String(magnitude % 1000)
        while fraction.count < 3 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let seconds = fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
        return "\(sign)\(seconds) s"
    }
}
