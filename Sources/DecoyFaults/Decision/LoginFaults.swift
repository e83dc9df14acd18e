import DecoyCore

/// The login faults' session state: pending `failLogins`, and the lockout with each client's
/// failures in a row and who is locked out until when.
struct LoginFaults: Sendable {
    var pending = 0
    var lockout: (after: Int, milliseconds: Int64)?
    var failures: [String: Int] = [:]
    var lockedUntil: [String: Int64] = [:]

    /// A login from `client` at `now`: refused while locked out, failed while `failLogins` are pending.
    mutating func decide(client: String, at now: Int64, into plan: inout FaultPlan) {
        if let until = lockedUntil[client] {
            if now < until {
                plan.replacement = .invalidCredentials
                plan.lockedOut = true
                plan.applied.append("lockout until \(RunTime.text(until))")
                return
            }
            lockedUntil[client] = nil
        }
        if pending > 0 {
            pending -= 1
            plan.replacement = .invalidCredentials
            plan.applied.append("failLogins (\(pending) left)")
        }
    }

    /// Counts a failed login toward the lockout; a successful one clears the count.
    mutating func answered(client: String, failed: Bool, at now: Int64) {
        guard let lockout else { return }
        guard failed else {
            failures[client] = nil
            return
        }
        let count = (failures[client] ?? 0) + 1
        if count >= lockout.after {
            lockedUntil[client] = now + lockout.milliseconds
            failures[client] = nil
        } else {
            failures[client] = count
        }
    }
}

/// `rejectStreamToken`: rejections not yet used by a stream, and the tokens of streams one was put
/// on (revoked when their last frame goes out).
struct StreamTokenRejections: Sendable {
    var pending: [(afterFrames: Int, user: String?)] = []
    var doomed: Set<String> = []

    /// Puts the first pending rejection that fits on this stream, when it carries a valid token
    /// (an invalid one is refused by the API anyway, and must not use the rejection up).
    mutating func decide(_ facts: ExchangeFacts, into plan: inout FaultPlan) {
        guard !pending.isEmpty, let token = facts.validToken, let user = facts.user,
            let index = pending.firstIndex(where: { $0.user == nil || $0.user == user })
        else { return }
        let frames = pending.remove(at: index).afterFrames
        doomed.insert(token)
        var wire = plan.wire ?? ExchangeFaults()
        wire.closeAfterFrames = min(wire.closeAfterFrames ?? frames, frames)
        wire.revokesToken = token
        plan.noteWire(Self.label(frames: frames, user: user), wire)
    }

    mutating func claim(_ facts: ExchangeFacts, afterFrames: Int, user: String?) -> String? {
        guard let token = facts.validToken, let owner = facts.user, user == nil || user == owner,
            doomed.insert(token).inserted
        else { return nil }
        return Self.label(frames: afterFrames, user: owner)
    }

    static func label(frames: Int, user: String) -> String { "rejectStreamToken after \(frames) frames (\(user))" }
}
