import DecoyFaults

extension RequestPattern {
    /// Whether a journaled request matches: every named field equal (the path, parameter values and
    /// fault as globs), the status only when the pattern names one.
    public func matches(_ request: RequestRecord) -> Bool {
        guard Glob.matches(path, request.path) else { return false }
        if let method, method != request.method { return false }
        if let wire = self.protocol, wire != (request.protocol ?? .http) { return false }
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
