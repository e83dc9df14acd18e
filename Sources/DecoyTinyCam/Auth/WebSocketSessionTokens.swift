import DecoyCore
import NIOConcurrencyHelpers

/// The short-lived tokens of `/axis-cgi/wssession.cgi`: a client that cannot send an
/// `Authorization` header on a WebSocket upgrade (browsers, the `axis` library's aiohttp client)
/// first asks for one, then opens `/vapix/ws-data-stream?…&wssession=<token>`.
///
/// A token is good for one request within `timeToLiveMilliseconds` of the server's clock, and
/// authenticates as the user who asked for it. Bounded: beyond `capacity` the oldest is forgotten.
public final class WebSocketSessionTokens: Sendable {
    public static let timeToLiveMilliseconds: Int64 = 30_000
    public static let capacity = 256

    private let clock: any DecoyClock
    private let sessions = NIOLockedValueBox([String: (user: String, role: Role, issuedAt: Int64)]())

    public init(clock: any DecoyClock) { self.clock = clock }

    /// A new token for `user`.
    public func issue(user: String, role: Role) -> String {
        let token = TokenStore.randomToken()
        let now = clock.nowMilliseconds()
        sessions.withLockedValue { sessions in
            sessions = sessions.filter { now - $0.value.issuedAt < Self.timeToLiveMilliseconds }
            if sessions.count >= Self.capacity, let oldest = sessions.min(by: { $0.value.issuedAt < $1.value.issuedAt })
            {
                sessions[oldest.key] = nil
            }
            sessions[token] = (user, role, now)
        }
        return token
    }

    /// Uses up `token`: who it was issued to, or nil when it is unknown, used or expired.
    public func redeem(_ token: String) -> (user: String, role: Role)? {
        let now = clock.nowMilliseconds()
        return sessions.withLockedValue { sessions in
            guard let session = sessions.removeValue(forKey: token),
                now - session.issuedAt < Self.timeToLiveMilliseconds
            else { return nil }
            return (session.user, session.role)
        }
    }
}
