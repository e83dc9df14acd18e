/// The transport's side of the fault layer (DESIGN.md "Faults are a layer"): what a scenario
/// wants the wire to do, asked at the few points where only the transport can act. DecoyServer
/// knows no scenarios; DecoyScenario implements this.
///
/// Nil in `DecoyRuntime.Options` (the default, `decoy serve`): the pipeline has no extra handler,
/// no request carries an `ExchangeFaultSlot`, and no stream does per-frame fault work.
public protocol TransportFaults: Sendable {
    /// A connection from `client` was just accepted: a label (the fault and its rule, for the
    /// journal) to reset it before any byte, or nil to serve it. Called once per connection, on
    /// its event loop, so it must be quick.
    func refusal(forClient client: String) -> String?

    /// An MJPEG stream's `closeAfterFrames` limit was reached: its last frame is being written and
    /// the connection closes once that is out. Called on the stream's event loop before the close,
    /// so what the fault layer does here (revoke the stream's token) is done before the client can
    /// see the close and come back. `target` is the stream's request target as sent.
    func streamReachedFrameLimit(target: String)

    /// An MJPEG stream session ended: what it sent, the fault it had, and why it ended.
    func streamEnded(_ session: StreamSession)
}

extension TransportFaults {
    public func streamReachedFrameLimit(target: String) {}
}
