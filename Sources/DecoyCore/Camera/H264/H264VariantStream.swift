import DecoyMedia
import NIOCore

/// One H.264 variant of a camera while it has subscribers: its encoder, its subscribers and when
/// it owes them an IDR. Loop-confined (the hub's media loop), like the rest of the pipeline.
///
/// - The encoder is made at the first frame and again whenever the variant's configuration for the
///   camera's format changes (a new size or rate) or the camera's size changes (`restart`): a new
///   encoder's first picture is an IDR with its SPS and PPS.
/// - A stream slower than the camera takes frames evenly (a credit of its rate per camera frame;
///   a frame is encoded when the credit reaches the camera's rate), so 10 of 30 fps is every third.
/// - A subscriber gets frames from its first IDR on (`H264Subscriber`).
final class H264VariantStream {
    let variant: H264Variant
    private var encoder: H264Encoder?
    private var subscribers: [ObjectIdentifier: Member] = [:]
    private var keyframes = KeyframeRequests()
    /// Frames owed to a stream slower than the camera, in units of 1/(camera rate) frames.
    private var credit = 0
    /// The newest camera frame this stream saw: each is encoded at most once.
    private var lastSequence: UInt64 = 0
    private let allocator = ByteBufferAllocator()

    private struct Member {
        let subscriber: any H264Subscriber
        /// Joined after the last IDR: nothing is delivered to it before the next one.
        var waitsForKeyframe = true
    }

    init(variant: H264Variant) { self.variant = variant }

    var isEmpty: Bool { subscribers.isEmpty }

    /// Adds `subscriber`; it gets frames from the next IDR on, which is asked for now.
    func add(_ subscriber: any H264Subscriber) {
        subscribers[ObjectIdentifier(subscriber)] = Member(subscriber: subscriber)
        keyframes.request()
    }

    func remove(_ subscriber: any H264Subscriber) { subscribers[ObjectIdentifier(subscriber)] = nil }

    /// Asks for an IDR soon (see `KeyframeRequests` for how soon).
    func requestKeyframe() { keyframes.request() }

    /// The next frame starts a new encoder (the camera's picture changed size).
    func restart() { encoder = nil }

    /// The SPS and PPS the stream has, or would have now: those of its encoder when it fits
    /// `format`, otherwise those of a new encoder made for it and dropped (openh264 gives them
    /// right after initialisation, so DESCRIBE needs no frame).
    func parameterSets(format: VideoFormat) throws -> H264ParameterSets {
        let configuration = variant.configuration(for: format)
        if let encoder, encoder.configuration == configuration { return encoder.parameterSets }
        return try H264Encoder(configuration).parameterSets
    }

    /// Encodes camera frame `picture` when this stream takes it, and hands it to the subscribers
    /// waiting for it; `pixels` gives the picture at a size. Returns the encoder's time in
    /// nanoseconds (real time by nature: a virtual clock stands still while it works), or nil when
    /// the stream did not take the frame.
    func encode(
        _ picture: SourcePicture, format: VideoFormat, pixels: (PixelSize) throws -> I420Image
    ) throws -> UInt64? {
        guard picture.stamp.sequence > lastSequence else { return nil }
        lastSequence = picture.stamp.sequence
        let configuration = variant.configuration(for: format)
        let encoder: H264Encoder
        if let current = self.encoder, current.configuration == configuration {
            credit += configuration.framesPerSecond
            guard credit >= format.framesPerSecond else { return nil }
            credit -= format.framesPerSecond
            encoder = current
            if keyframes.forceNow(at: picture.producedAt) { encoder.requestKeyframe() }
        } else {
            encoder = try H264Encoder(configuration)  // its first picture is an IDR
            self.encoder = encoder
            credit = 0
        }
        let image = try pixels(configuration.size)
        let started = NIODeadline.now()
        let frame = try encoder.encode(image, timeMilliseconds: picture.producedAt) { encoded in
            H264Frame(
                encoded, stamp: picture.stamp, timeMilliseconds: picture.producedAt, variant: variant,
                configuration: configuration, parameterSets: encoder.parameterSets, allocator: allocator)
        }
        let nanoseconds = UInt64(max(0, (NIODeadline.now() - started).nanoseconds))
        guard !frame.nalRanges.isEmpty else { return nanoseconds }  // openh264 skipped the picture
        if frame.isKeyframe { keyframes.keyframeEncoded() }
        deliver(frame)
        return nanoseconds
    }

    private func deliver(_ frame: H264Frame) {
        var index = subscribers.values.startIndex
        while index != subscribers.values.endIndex {
            if frame.isKeyframe { subscribers.values[index].waitsForKeyframe = false }
            if !subscribers.values[index].waitsForKeyframe { subscribers.values[index].subscriber.deliver(frame) }
            subscribers.values.formIndex(after: &index)
        }
    }

    /// Tells every subscriber the camera went offline.
    func announceOffline() {
        for member in subscribers.values { member.subscriber.cameraWentOffline() }
    }
}
