import DecoyMedia

/// A camera's H.264 streams, one per variant with subscribers: what the frame pipeline asks of
/// them each frame, and their cumulative work. Loop-confined with the pipeline.
///
/// A variant's stream (and its encoder) exists exactly while the variant has subscribers: the
/// last one leaving drops it, so a camera nobody watches over RTSP encodes no H.264 at all.
struct H264Streams {
    private var streams: [H264Variant: H264VariantStream] = [:]
    /// What the streams did so far (never reset: the hub's counters show it).
    private(set) var work = Work()

    struct Work: Equatable {
        var framesEncoded = 0
        var encodeNanoseconds: UInt64 = 0
    }

    var isEmpty: Bool { streams.isEmpty }

    mutating func subscribe(_ subscriber: any H264Subscriber, variant: H264Variant) {
        let stream = streams[variant] ?? H264VariantStream(variant: variant)
        streams[variant] = stream
        stream.add(subscriber)
    }

    mutating func unsubscribe(_ subscriber: any H264Subscriber, variant: H264Variant) {
        guard let stream = streams[variant] else { return }
        stream.remove(subscriber)
        if stream.isEmpty { streams[variant] = nil }
    }

    func requestKeyframe(_ variant: H264Variant) { streams[variant]?.requestKeyframe() }

    /// The SPS and PPS of `variant` while the format is `format` (see `H264VariantStream`).
    func parameterSets(_ variant: H264Variant, format: VideoFormat) throws -> H264ParameterSets {
        try (streams[variant] ?? H264VariantStream(variant: variant)).parameterSets(format: format)
    }

    /// Every stream starts a new encoder at its next frame (the camera's picture changed size).
    func restartEncoders() {
        for stream in streams.values { stream.restart() }
    }

    /// Encodes `picture` for every stream that takes it and delivers it. A stream that fails does
    /// not keep the others from their frame; the first error is thrown afterwards.
    mutating func encode(
        _ picture: SourcePicture, format: VideoFormat, pixels: (PixelSize) throws -> I420Image
    ) throws {
        var failure: (any Error)?
        for stream in streams.values {
            do {
                guard let nanoseconds = try stream.encode(picture, format: format, pixels: pixels) else { continue }
                work.framesEncoded += 1
                work.encodeNanoseconds &+= nanoseconds
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    func announceOffline() {
        for stream in streams.values { stream.announceOffline() }
    }

    mutating func removeAll() { streams.removeAll() }
}
