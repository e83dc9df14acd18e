import DecoyCore
import DecoyTinyCam
import NIOCore

/// What every RTSP connection of a server shares: the API that authorizes media, the services,
/// the `Server` header and the registry of open sessions' counters.
struct RTSPEnvironment: Sendable {
    let responder: any TinyCamResponder
    let services: TinyCamServices
    /// The `Server` value on every answer: Axis firmware says `GStreamer RTSP server`; the tinyCam
    /// profile repeats its HTTP `Server` header.
    let serverName: String
    /// How long a started request head may take to arrive (`server.requestTimeout`).
    let headTimeout: TimeAmount
    /// Sessions, frames and bytes by camera, for `/metrics`.
    let counters: RTSPStreamCounters

    init(
        responder: any TinyCamResponder, services: TinyCamServices, headTimeout: TimeAmount,
        counters: RTSPStreamCounters
    ) {
        self.counters = counters
        self.responder = responder
        self.headTimeout = headTimeout
        self.services = services
        let server = services.config.server
        self.serverName = server.profile == .axis ? "GStreamer RTSP server" : server.serverHeader
    }

    /// The `Date` of an answer: the one clock, so a virtual run writes the same bytes.
    var date: String { CivilTime.httpDate(services.clock.nowMilliseconds()) }
}
