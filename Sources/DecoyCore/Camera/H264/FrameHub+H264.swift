import DecoyMedia
import NIOCore

/// The H.264 side of a hub, what an RTSP session needs: subscribe to a variant's access units, ask
/// for an IDR, and read the variant's SPS and PPS before any frame (for DESCRIBE's SDP).
///
/// Each variant is encoded once, on the media loop, only while it has subscribers, from the same
/// pictures the JPEG variants get; all its subscribers share the access units. Frames are paced on
/// the hub's clock: a virtual run gives the same sequences, times and bytes.
extension FrameHub {
    /// Starts delivering `variant`'s access units to `subscriber`, from the next IDR on. Joining asks
    /// the encoder for an IDR (at most one forced IDR per 100 ms of clock time per variant, see
    /// `KeyframeRequests`), so the first picture comes within about one frame.
    public func subscribe(_ subscriber: any H264Subscriber, variant: H264Variant) {
        mediaLoop.execute { self.pipeline.value.subscribe(subscriber, variant: variant) }
    }

    /// Stops the deliveries to `subscriber`; the variant's encoder goes with its last subscriber.
    public func unsubscribe(_ subscriber: any H264Subscriber, variant: H264Variant) {
        mediaLoop.execute { self.pipeline.value.unsubscribe(subscriber, variant: variant) }
    }

    /// Asks `variant`'s encoder for an IDR soon (rate-limited like a join); nothing when nobody
    /// subscribes to it.
    public func requestKeyframe(_ variant: H264Variant) {
        mediaLoop.execute { self.pipeline.value.requestKeyframe(variant) }
    }

    /// `variant`'s SPS and PPS in the camera's format now, for SDP (`sprop-parameter-sets`,
    /// `profile-level-id`). Those of the running encoder when the variant has subscribers;
    /// otherwise those of an encoder made for the purpose and dropped (openh264 gives them at
    /// initialisation, a few milliseconds, no frame needed), the very bytes the stream's encoder
    /// will send in-band when it starts in that format. Fails with `H264Error` for a variant
    /// openh264 cannot encode (an odd size, say): the RTSP layer can refuse it in DESCRIBE.
    public func parameterSets(_ variant: H264Variant) -> EventLoopFuture<H264ParameterSets> {
        mediaLoop.submit { try self.pipeline.value.parameterSets(variant) }
    }
}
