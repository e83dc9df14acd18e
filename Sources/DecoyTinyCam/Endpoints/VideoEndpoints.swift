import DecoyCore
import DecoyMedia
import NIOCore

/// `/axis-cgi/mjpg/video.cgi` (MJPEG stream) and `/axis-cgi/jpg/image.cgi` (one JPEG).
enum VideoEndpoints {
    static let all = [stream, snapshot]
    static let streamPath = "/axis-cgi/mjpg/video.cgi"

    static let stream = Endpoint(streamPath, access: .guest) { context in
        let (camera, options) = try VideoOptions.parse(context.query, cameras: context.services.cameras)
        try requireOnline(camera)
        return TinyCamResponse(
            status: .ok,
            headers: [
                ("Content-Type", MJPEGFraming.contentType), ("Cache-Control", "no-cache"), ("Pragma", "no-cache"),
            ],
            body: .mjpeg(
                MJPEGStreamRequest(camera: camera, variant: options.variant, framesPerSecond: options.framesPerSecond)))
    }

    /// The newest frame (not the next one when the newest is fresh).
    static let snapshot = Endpoint("/axis-cgi/jpg/image.cgi", access: .guest) { context in
        let (camera, options) = try VideoOptions.parse(context.query, cameras: context.services.cameras)
        try requireOnline(camera)
        let frame: EncodedFrame
        do {
            frame = try await camera.hub.snapshot(options.variant).get()
        } catch FrameHubError.offline {
            throw APIError.cameraOffline(camera.config.name)
        } catch {
            throw APIError.internalError("camera '\(camera.config.name)' could not produce a picture: \(error)")
        }
        return TinyCamResponse(
            status: .ok, headers: [("Content-Type", "image/jpeg"), ("Cache-Control", "no-cache")],
            body: .bytes(frame.jpeg))
    }

    /// An offline camera answers 503 (parameters are checked first, so a bad request still says what is wrong).
    private static func requireOnline(_ camera: Camera) throws(APIError) {
        if camera.health == .offline { throw .cameraOffline(camera.config.name) }
    }
}

/// The picture options of `video.cgi` and `image.cgi` (docs/contract.md).
struct VideoOptions: Equatable {
    var variant: FrameVariant
    /// nil = the camera's native rate.
    var framesPerSecond: Int?

    /// Default `compression` when absent.
    static let defaultCompression = 30
    /// Smallest picture side served.
    static let minimumSide = 16

    static func parse(_ query: QueryParameters, cameras: CameraRegistry) throws -> (Camera, VideoOptions) {
        let camera = try CameraSelector.camera(from: query, in: cameras)
        let native = camera.hub.nativeSize
        var fps: Int?
        if let text = query["fps"], !text.isEmpty {
            guard let value = Int(decimal: text), value >= 0 else {
                throw APIError.badRequest(
                    "fps must be a whole number ≥ 0 (0 = the camera's native rate), got '\(text)'")
            }
            // Kept even at or above the camera's rate: a scenario may raise or lower that mid-stream,
            // and the viewer must then still get at most what it asked for.
            fps = value == 0 ? nil : value
        }
        var compression = defaultCompression
        if let text = query["compression"], !text.isEmpty {
            guard let value = Int(decimal: text), (0...100).contains(value) else {
                throw APIError.badRequest("compression must be a whole number from 0 to 100, got '\(text)'")
            }
            compression = value
        }
        var size = native
        var followsNative = true
        if let text = query["resolution"], !text.isEmpty {
            guard let asked = PixelSize(parsing: text) else {
                throw APIError.badRequest("resolution must be WIDTHxHEIGHT such as 640x480, got '\(text)'")
            }
            guard asked.width >= minimumSide, asked.height >= minimumSide else {
                throw APIError.badRequest(
                    "resolution \(asked) is too small: each side must be at least \(minimumSide) pixels")
            }
            size = fitted(asked, inside: native)
            // A size larger than the camera's, fitted to exactly it, is "the best it has", whatever
            // that becomes; any other asked size stays what was asked.
            followsNative = size != asked && size == native
        }
        let quality = min(100, max(1, 100 - compression))
        // No `compression` and the native size: the camera's own JPEGs (an MJPEG webcam's) pass through.
        let passthrough = (query["compression"] ?? "").isEmpty && size == native
        let variant = FrameVariant(
            size: size, quality: quality, passthrough: passthrough, followsNative: followsNative)
        return (camera, VideoOptions(variant: variant, framesPerSecond: fps))
    }

    /// The size served for `asked`: itself when the camera can deliver it; otherwise the largest size
    /// of the asked aspect ratio inside the native one, sides rounded down to even numbers (at least
    /// `minimumSide`). Decoy never upscales, but Home Assistant asks `image.cgi` for its card's size
    /// (e.g. 1920x1080 on a 1280x720 camera) and must get the camera's best picture, not an error.
    static func fitted(_ asked: PixelSize, inside native: PixelSize) -> PixelSize {
        guard asked.width > native.width || asked.height > native.height else { return asked }
        // Compare the two ratios in integers: the binding side is the one that overflows the most.
        let widthBound = asked.width * native.height >= asked.height * native.width
        let (width, height) =
            widthBound
            ? (native.width, native.width * asked.height / asked.width)
            : (native.height * asked.width / asked.height, native.height)
        func even(_ side: Int) -> Int { max(minimumSide, side & ~1) }
        return PixelSize(width: min(even(width), native.width), height: min(even(height), native.height))
    }
}
