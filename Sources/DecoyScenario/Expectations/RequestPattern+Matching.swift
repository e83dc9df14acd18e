extension RequestPattern {
    /// Whether a journaled request matches: every named field equal (the path, parameter values and
    /// fault as globs), the status only when the pattern names one.
    public func matches(_ request: RequestRecord) -> Bool {
        guard Glob.matches(path, request.path) else { return false }
        if let method, method != request.method { return false }
        if let status, status != request.status { return false }
        if let user, user != request.user { return false }
        if let auth, auth != request.auth { return false }
        if let fault {
            guard let applied = request.fault, Glob.matches(fault, applied) else { return false }
        }
        for (name, value) in parameters {
            guard let actual = request.parameter(name), Glob.matches(value, actual) else { return false }
        }
        return true
    }
}

/// `*` matches any run of characters (slashes too); everything else is literal. Text without `*`
/// is therefore compared exactly.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        guard pattern.contains("*") else { return pattern == text }
        let pattern = Array(pattern)
        let text = Array(text)
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if p < pattern.count, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
