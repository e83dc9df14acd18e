import DecoyCore
import NIOConcurrencyHelpers

/// Login tokens: 40 lowercase hex characters from the system CSPRNG, valid until logout, restart
/// of the web server, or (when configured) their time to live. Bounded: beyond `capacity` the
/// oldest token is forgotten, so a login flood cannot grow memory.
public final class TokenStore: Sendable {
    public struct Session: Sendable, Equatable {
        public let user: String
        public let role: Role
        public let issuedAt: Int64
    }

    private let sessions = NIOLockedValueBox([String: Session]())
    private let clock: any DecoyClock
    private let timeToLiveMilliseconds: Int64
    private let capacity: Int

    public init(clock: any DecoyClock, timeToLiveSeconds: Int, capacity: Int) {
        self.clock = clock
        self.timeToLiveMilliseconds = Int64(timeToLiveSeconds) * 1000
        self.capacity = capacity
    }

    /// Issues a new token for `user`.
    public func issue(user: String, role: Role) -> String {
        let token = Self.randomToken()
        let now = clock.nowMilliseconds()
        sessions.withLockedValue { sessions in
            if sessions.count >= capacity, timeToLiveMilliseconds > 0 {
                sessions = sessions.filter { now - $0.value.issuedAt < timeToLiveMilliseconds }
            }
            if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.issuedAt < $1.value.issuedAt }) {
                sessions[oldest.key] = nil
            }
            sessions[token] = Session(user: user, role: role, issuedAt: now)
        }
        return token
    }

    /// The session of a valid token; expired tokens are removed and rejected.
    public func session(for token: String) -> Session? {
        let now = clock.nowMilliseconds()
        return sessions.withLockedValue { sessions in
            guard let session = sessions[token] else { return nil }
            if timeToLiveMilliseconds > 0, now - session.issuedAt >= timeToLiveMilliseconds {
                sessions[token] = nil
                return nil
            }
            return session
        }
    }

    public func revoke(_ token: String) { sessions.withLockedValue { $0[token] = nil } }

    /// Forgets every token (the web server restarted).
    public func revokeAll() { sessions.withLockedValue { $0.removeAll() } }

    /// Forgets every token of `user` and returns how many there were: a scenario's "the session
    /// expired" for one user, while other users' clients keep theirs.
    @discardableResult
    public func revokeAll(user: String) -> Int {
        sessions.withLockedValue { sessions in
            let before = sessions.count
            sessions = sessions.filter { $0.value.user != user }
            return before - sessions.count
        }
    }

    public var count: Int { sessions.withLockedValue { $0.count } }

    /// 20 bytes of `SystemRandomNumberGenerator` (getrandom(2) on Linux, a CSPRNG) as hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(40)
        for _ in 0..<20 {
            let byte = UInt8.random(in: 0...255, using: &generator)
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
