/// One `m=` section of an SDP (RFC 4566 section 5.14), written in the order Axis cameras write
/// it: `m=`, `c=IN IP4 0.0.0.0`, `b=AS:`, `a=rtpmap:`, `a=fmtp:`, `a=control:`, then the rest
/// (`a=framerate:`…).
public struct SDPMedia: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case video, audio, application
    }

    public var kind: Kind
    public var payloadType: UInt8
    /// `encoding/clock[/channels]`, e.g. `H264/90000`.
    public var rtpmap: String?
    public var formatParameters: String?
    /// `b=AS:` in kbit/s (Axis writes 50000 for video, 64 for G.711).
    public var bandwidthKbps: Int?
    /// The track's control URL (`RTSPPresentation.trackControl`).
    public var control: String
    /// More `a=` lines, without the `a=`, after the control line.
    public var attributes: [String]

    public init(
        kind: Kind, payloadType: UInt8, rtpmap: String?, formatParameters: String? = nil, bandwidthKbps: Int? = nil,
        control: String, attributes: [String] = []
    ) {
        self.kind = kind
        self.payloadType = payloadType
        self.rtpmap = rtpmap
        self.formatParameters = formatParameters
        self.bandwidthKbps = bandwidthKbps
        self.control = control
        self.attributes = attributes
    }

    var lines: [String] {
        var lines = ["m=\(kind.rawValue) 0 RTP/AVP \(payloadType)", "c=IN IP4 0.0.0.0"]
        if let bandwidthKbps { lines.append("b=AS:\(bandwidthKbps)") }
        if let rtpmap { lines.append("a=rtpmap:\(payloadType) \(rtpmap)") }
        if let formatParameters { lines.append("a=fmtp:\(payloadType) \(formatParameters)") }
        lines.append("a=control:\(control)")
        return lines + attributes.map { "a=\($0)" }
    }
}

extension SDPMedia {
    /// H.264 in dynamic payload type 96 (what Axis uses), with `a=framerate:` when the rate is known.
    public static func h264(
        _ parameterSets: H264ParameterSets, control: String, framerate: Double? = nil, bandwidthKbps: Int? = nil,
        payloadType: UInt8 = 96
    ) -> SDPMedia {
        SDPMedia(
            kind: .video, payloadType: payloadType, rtpmap: "H264/90000",
            formatParameters: parameterSets.formatParameters, bandwidthKbps: bandwidthKbps, control: control,
            attributes: framerate.map { ["framerate:" + SDPNumber.sixDecimals($0)] } ?? [])
    }

    /// RTP/JPEG (RFC 2435) in static payload type 26. `a=x-dimensions:W,H` only for pictures
    /// wider or taller than 2040, which the RTP/JPEG header cannot carry (gst's convention).
    public static func jpeg(
        width: Int, height: Int, control: String, framerate: Double? = nil, bandwidthKbps: Int? = nil
    )
        -> SDPMedia
    {
        var attributes = framerate.map { ["framerate:" + SDPNumber.sixDecimals($0)] } ?? []
        if width > RTPJPEGHeader.largestSize || height > RTPJPEGHeader.largestSize {
            attributes.append("x-dimensions:\(width),\(height)")
        }
        return SDPMedia(
            kind: .video, payloadType: 26, rtpmap: "JPEG/90000", bandwidthKbps: bandwidthKbps, control: control,
            attributes: attributes)
    }

    /// G.711 µ-law, 8 kHz mono, static payload type 0 (Axis: `b=AS:64`).
    public static func pcmu(control: String, bandwidthKbps: Int? = 64) -> SDPMedia {
        SDPMedia(kind: .audio, payloadType: 0, rtpmap: "PCMU/8000", bandwidthKbps: bandwidthKbps, control: control)
    }

    /// An ONVIF metadata track (`vnd.onvif.metadata/90000`, Axis's event stream), payload type 98
    /// unless told otherwise.
    public static func onvifMetadata(control: String, payloadType: UInt8 = 98) -> SDPMedia {
        SDPMedia(kind: .application, payloadType: payloadType, rtpmap: "vnd.onvif.metadata/90000", control: control)
    }
}

/// Numbers the way C's `%f` prints them (gst writes `a=framerate:25.000000`).
enum SDPNumber {
    static func sixDecimals(_ value: Double) -> String {
        let micro = Int64((abs(value) * 1_000_000).rounded())
        let fraction = String(micro % 1_000_000)
        let sign = value < 0 && micro > 0 ? "-" : ""
        return "\(sign)\(micro / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
