import DecoyTinyCam
import Foundation

/// Counts every tinyCam answer by path and status and times it, for `/metrics`. It wraps the
/// whole responder chain (outside the journal and the fault layer), so it counts what clients got.
/// For an MJPEG stream the time is until the head of the answer, not the stream's length.
public struct MetricsResponder: TinyCamResponder {
    public let wrapped: any TinyCamResponder
    public let metrics: ControlMetrics

    public init(_ wrapped: any TinyCamResponder, metrics: ControlMetrics) {
        self.wrapped = wrapped
        self.metrics = metrics
    }

    public func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
        let started = ContinuousClock.now
        let response = await wrapped.handle(request)
        let elapsed = ContinuousClock.now - started
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        metrics.recordRequest(path: String(request.rawPath), status: response.status.code, nanoseconds: nanoseconds)
        return response
    }
}
