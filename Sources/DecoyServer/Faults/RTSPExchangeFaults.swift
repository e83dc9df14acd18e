import DecoyCore
import DecoyFaults
import DecoyRTSP
import DecoyTinyCam

/// What the fault layer decided for one RTSP request, with the facts it was decided on (a PLAY's
/// are asked again for the session's media windows while it plays).
struct RTSPExchangeFaults {
    let facts: ExchangeFacts
    let plan: FaultPlan
    let layer: FaultLayer
    /// `closeAfterFrames`: the session ends (the connection closes) once this many frames are out;
    /// cleared once reached.
    var closeAfterFrames: Int?

    init(facts: ExchangeFacts, plan: FaultPlan, layer: FaultLayer) {
        self.facts = facts
        self.plan = plan
        self.layer = layer
        self.closeAfterFrames = plan.wire?.closeAfterFrames
    }

    /// Decides `request` arriving at run time `milliseconds`; nil without a fault layer.
    static func decide(
        _ request: TinyCamRequest, at milliseconds: Int64, harness: TransportHarness?, services: TinyCamServices
    ) -> RTSPExchangeFaults? {
        guard let layer = harness?.faults else { return nil }
        let facts = ExchangeFacts(
            http: request, tokens: services.authenticator.tokens, users: services.config.users,
            cameraIDs: services.cameras.cameras.map(\.config.id), at: milliseconds)
        return RTSPExchangeFaults(facts: facts, plan: layer.decide(facts), layer: layer)
    }

    /// The lower transports SETUP may choose: `denyTransport` takes one away.
    var allowedTransports: Set<RTSPTransportSpec.LowerTransport> {
        guard case .denyTransport(let udp) = plan.wire?.media else { return [.tcp, .udp] }
        return udp ? [.tcp] : [.udp]
    }

    /// `sessionExpiry`: keep-alives are ignored.
    var ignoresKeepAlives: Bool { plan.wire?.media == .sessionExpiry }

    /// The media windows that match the session at run time `now` (nil when none does: no
    /// per-packet work).
    func mediaWindows(at now: Int64) -> [MediaWindow]? {
        var facts = facts
        facts.milliseconds = now
        let windows = layer.mediaWindows(facts)
        return windows.isEmpty ? nil : windows
    }

    /// The packet-loss generator's seed: the run's, mixed with the connection's number, so each
    /// session loses its own packets and a rerun loses the same ones.
    func seed(connection: UInt64) -> UInt64 { layer.seed &+ connection &* 0x9E37_79B9_7F4A_7C15 }
}
