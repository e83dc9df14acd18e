import DecoyCore
import DecoyScenario
import DecoyServer
import Foundation
import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// The sandbox's metrics in Prometheus text: request counts and durations pushed by
/// `MetricsResponder` through swift-metrics, and the counters Decoy already keeps (frames made,
/// encoded, passed through and dropped per camera, MJPEG frames sent to and dropped for viewers
/// and open streams per camera, RTSP sessions, frames and bytes per camera, JPEG and H.264 encode
/// time, each camera's current size and rate, a microphone's
/// xruns, reopens and underruns, open streams, bytes, restarts, the journal) copied in at scrape
/// time, so the hot paths that keep them need no change.
///
/// Each sandbox has its own registry (no global `MetricsSystem.bootstrap`), so tests and several
/// sandboxes in one process never share numbers.
public final class ControlMetrics: Sendable {
    /// Distinct (path, status) pairs kept before further paths count as `other`: a client probing
    /// random paths cannot grow the registry without bound.
    public static let maximumRequestSeries = 256

    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let requests = NIOLockedValueBox(RequestSeries())
    /// Last value copied in per bridged counter series, to add only the difference.
    private let bridged = NIOLockedValueBox([String: Int64]())

    private struct RequestSeries {
        var counters: [String: Metrics.Counter] = [:]
        var timers: [String: Metrics.Timer] = [:]
    }

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
            .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    /// One answered request: `decoy_http_requests_total{path,status}` and
    /// `decoy_http_request_duration_seconds{path}`.
    public func recordRequest(path: String, status: Int, nanoseconds: Int64) {
        let (counter, timer) = requests.withLockedValue { series -> (Metrics.Counter, Metrics.Timer) in
            let known = series.counters.count < Self.maximumRequestSeries
            let label = known || series.counters["\(path) \(status)"] != nil ? path : "other"
            let key = "\(label) \(status)"
            let counter =
                series.counters[key]
                ?? Metrics.Counter(
                    label: "decoy_http_requests_total", dimensions: [("path", label), ("status", String(status))],
                    factory: factory)
            series.counters[key] = counter
            let timer =
                series.timers[label]
                ?? Metrics.Timer(
                    label: "decoy_http_request_duration_seconds", dimensions: [("path", label)], factory: factory)
            series.timers[label] = timer
            return (counter, timer)
        }
        counter.increment()
        timer.recordNanoseconds(nanoseconds)
    }

    /// The Prometheus text for `GET /metrics`, after copying in the sandbox's own counters.
    public func scrape(_ sandbox: Sandbox) -> [UInt8] {
        let services = sandbox.runtime.services
        for camera in services.cameras.cameras {
            // One copy of what the camera's media loop last published: counters, health and format agree.
            let status = camera.hub.status
            let counts = status.counts
            let labels = [("camera", camera.config.name), ("camera_id", String(camera.config.id))]
            copy("decoy_frames_produced_total", labels, Int64(counts.framesProduced))
            copy("decoy_frames_encoded_total", labels, Int64(counts.variantsEncoded))
            copy("decoy_frames_passed_through_total", labels, Int64(counts.jpegsPassedThrough))
            copy("decoy_source_frames_dropped_total", labels, Int64(counts.jpegsDropped))
            copySeconds("decoy_encode_seconds_total", labels, nanoseconds: counts.encodeNanoseconds)
            gauge("decoy_camera_running", labels, counts.running ? 1 : 0)
            gauge("decoy_camera_live", labels, status.health == .live ? 1 : 0)
            let streams = sandbox.runtime.server.streamCounts(forCamera: camera.config.id)
            copy("decoy_frames_sent_total", labels, Int64(clamping: streams.framesSent))
            copy("decoy_frames_dropped_total", labels, Int64(clamping: streams.framesDropped))
            gauge("decoy_camera_active_streams", labels, Double(streams.activeStreams))
            let rtsp = sandbox.runtime.server.rtspCounts(forCamera: camera.config.id)
            copy("decoy_rtsp_sessions_total", labels, Int64(rtsp.sessionsStarted))
            gauge("decoy_rtsp_active_sessions", labels, Double(rtsp.activeSessions))
            copy("decoy_rtsp_frames_sent_total", labels, Int64(rtsp.framesSent))
            copy("decoy_rtsp_sent_bytes_total", labels, rtsp.bytesSent)
            copy("decoy_h264_frames_encoded_total", labels, Int64(counts.h264FramesEncoded))
            copySeconds("decoy_h264_encode_seconds_total", labels, nanoseconds: counts.h264EncodeNanoseconds)
            let format = status.format
            gauge("decoy_camera_width_pixels", labels, Double(format.size.width))
            gauge("decoy_camera_height_pixels", labels, Double(format.size.height))
            gauge("decoy_camera_frames_per_second", labels, Double(format.framesPerSecond))
            if let audio = camera.audio?.deviceHealth {
                // A microphone (`source: alsa`): what the capture thread went through.
                gauge("decoy_audio_device_open", labels, audio.open ? 1 : 0)
                copy("decoy_audio_xruns_total", labels, Int64(audio.xruns))
                copy("decoy_audio_reopens_total", labels, Int64(audio.reopens))
                copy("decoy_audio_underruns_total", labels, Int64(audio.underruns))
            }
        }
        gauge("decoy_active_streams", [], Double(services.counters.openStreams))
        let traffic = services.traffic.totals
        copy("decoy_received_bytes_total", [], traffic.bytesIn)
        copy("decoy_sent_bytes_total", [], traffic.bytesOut)
        copy("decoy_server_restarts_total", [], Int64(services.counters.restarts))
        let journal = sandbox.journal.snapshot()
        gauge("decoy_journal_entries", [], Double(journal.entries.count))
        gauge("decoy_journal_dropped", [], Double(journal.dropped))
        gauge("decoy_fault_rules", [], Double(sandbox.faults.rules.count))
        return registry.emitToBuffer()
    }

    private func copy(_ name: String, _ labels: [(String, String)], _ value: Int64) {
        let key = name + labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        let delta = bridged.withLockedValue { last -> Int64 in
            let previous = last[key] ?? 0
            last[key] = value
            return value - previous
        }
        let counter = Metrics.Counter(label: name, dimensions: labels, factory: factory)
        if delta > 0 { counter.increment(by: delta) } else { counter.increment(by: 0) }
    }

    /// A cumulative time in nanoseconds, as a counter of seconds.
    private func copySeconds(_ name: String, _ labels: [(String, String)], nanoseconds: UInt64) {
        let key = name + labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        let value = Int64(clamping: nanoseconds)
        let delta = bridged.withLockedValue { last -> Int64 in
            let previous = last[key] ?? 0
            last[key] = value
            return value - previous
        }
        let counter = Metrics.FloatingPointCounter(label: name, dimensions: labels, factory: factory)
        counter.increment(by: Double(max(0, delta)) / 1e9)
    }

    private func gauge(_ name: String, _ labels: [(String, String)], _ value: Double) {
        Metrics.Gauge(label: name, dimensions: labels, factory: factory).record(value)
    }
}
