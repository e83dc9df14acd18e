import DecoyCore
import DecoyMedia

/// `/axis-media/media.amp`, the media URL of RTSP (tinyCam's `?cameraId=<id>`, Axis's
/// `?camera=N&videocodec=h264&resolution=WxH…`). Answered only to RTSP's DESCRIBE and SETUP: it
/// checks credentials, access (the rule of `video.cgi`, since it is the same live picture) and
/// parameters exactly as `video.cgi` does, and hands the RTSP layer what to stream.
enum MediaEndpoints {
    static let path = "/axis-media/media.amp"
    static let all = [media]

    /// The media path a track URL belongs to: SETUP names a track as a last path segment
    /// (`…/media.amp/stream=0`, or `trackID=0` from clients that rewrite it), the rest is the media's.
    static func presentationPath(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        let segment = path[path.index(after: slash)...]
        let isTrack = ["stream=", "trackID=", "trackid="].contains { segment.hasPrefix($0) }
        return isTrack && slash != path.startIndex ? String(path[..<slash]) : path
    }

    static let media = Endpoint(path, access: .guest, accessPath: VideoEndpoints.streamPath) { context in
        let axis = context.services.config.server.profile == .axis
        let query = axis ? try AxisMediaInfoEndpoints.applyingStreamProfile(to: context.query) : context.query
        let (camera, options) = try VideoOptions.parse(query, cameras: context.services.cameras)
        let media = try RTSPMediaRequest.Options.parse(query, camera: camera, axis: axis)
        if camera.health == .offline, media.video || media.audio {
            throw APIError.cameraOffline(camera.config.name)
        }
        return TinyCamResponse(
            status: .ok, headers: [],
            body: .rtspMedia(
                RTSPMediaRequest(
                    camera: camera, variant: options.variant, framesPerSecond: options.framesPerSecond,
                    codec: media.codec, audio: media.audio, video: media.video, events: media.events,
                    eventService: media.events == nil ? nil : context.services.axisEvents)))
    }
}

/// What an RTSP client asked to play: one camera's picture as H.264 or RTP/JPEG, with or without
/// its sound.
public struct RTSPMediaRequest: Sendable {
    public enum Codec: String, Sendable {
        case h264, jpeg
    }

    public let camera: Camera
    /// Size, quality and native-size following, read exactly as `video.cgi` reads them
    /// (`resolution`, `compression`); the H.264 variant is made from it.
    public let variant: FrameVariant
    /// `fps`; nil is the camera's rate.
    public let framesPerSecond: Int?
    public let codec: Codec
    /// `audio=1` on a camera with sound: a PCMU track follows the video.
    public let audio: Bool
    /// `video=0` leaves the picture out (an event-only stream).
    public let video: Bool
    /// `event=on` (axis profile): an ONVIF metadata track with the camera's events, those the
    /// `eventtopic` filter takes (all without one); nil: none.
    public let events: AxisTopicFilter?
    /// Where the metadata track's events come from (the same service as the event WebSocket's).
    public let eventService: AxisEventService?

    public init(
        camera: Camera, variant: FrameVariant, framesPerSecond: Int?, codec: Codec, audio: Bool, video: Bool = true,
        events: AxisTopicFilter? = nil, eventService: AxisEventService? = nil
    ) {
        self.eventService = eventService
        self.camera = camera
        self.variant = variant
        self.framesPerSecond = framesPerSecond
        self.codec = codec
        self.audio = audio
        self.video = video
        self.events = events
    }

    /// The presentation's tracks in Axis's order (picture, sound, metadata), numbered from 0.
    public var tracks: [Track] {
        (video ? [Track.video] : []) + (audio ? [.audio] : []) + (events != nil ? [.metadata] : [])
    }

    public enum Track: Sendable, Equatable {
        case video, audio, metadata
    }

    /// The H.264 stream this request shares with every viewer asking the same: the JPEG variant's
    /// size and quality, the asked rate, an IDR every second unless the camera says otherwise.
    public var h264Variant: H264Variant {
        H264Variant(
            size: variant.size, framesPerSecond: framesPerSecond, rateControl: .quality(variant.quality),
            keyframeInterval: camera.config.keyframeInterval, followsNative: variant.followsNative)
    }

    /// The RTSP-only parameters (the picture ones are `video.cgi`'s).
    struct Options {
        var codec = Codec.h264
        var audio = false
        var video = true
        var events: AxisTopicFilter?

        static func parse(_ query: QueryParameters, camera: Camera, axis: Bool) throws -> Options {
            var options = Options()
            if let text = query["video"], !text.isEmpty {
                guard text == "0" || text == "1" else {
                    throw APIError.badRequest("video must be 0 or 1, got '\(text)'")
                }
                options.video = text == "1"
            }
            if let text = query["event"], !text.isEmpty {
                guard text == "on" || text == "off" else {
                    throw APIError.badRequest("event must be on or off, got '\(text)'")
                }
                if text == "on" {
                    guard axis else {
                        throw APIError.badRequest(
                            "event=on is an Axis event stream: it needs the axis profile (server.profile: axis)")
                    }
                    let topic = query["eventtopic"] ?? ""
                    do {
                        options.events = topic.isEmpty ? .all : try AxisTopicFilter(expressions: [topic])
                    } catch {
                        throw APIError.badRequest("eventtopic: \(error)")
                    }
                }
            }
            if let text = query["videocodec"], !text.isEmpty {
                guard let codec = Codec(rawValue: text.lowercased()) else {
                    throw APIError.badRequest("videocodec must be h264 or jpeg, got '\(text)'")
                }
                options.codec = codec
            }
            if let text = query["audio"], !text.isEmpty {
                guard text == "0" || text == "1" else {
                    throw APIError.badRequest("audio must be 0 or 1, got '\(text)'")
                }
                options.audio = text == "1" && camera.audio != nil
            }
            guard options.video || options.audio || options.events != nil else {
                throw APIError.badRequest("nothing to stream: video=0 without audio=1 or event=on")
            }
            return options
        }
    }
}
