import DecoyMedia
import NIOCore

/// What a client asked to receive: the picture size and JPEG quality. Each variant of a frame is
/// encoded at most once and shared by all its viewers.
///
/// `passthrough` marks a request for the camera's own picture: `video.cgi`/`image.cgi` with no
/// `compression` and no `resolution` (or exactly the native one). When the source hands over a JPEG
/// of that size (an MJPEG webcam), viewers get the device's bytes unchanged, with no decode and no
/// encode; otherwise the frame is encoded at `quality` like any variant (and shared with the
/// non-passthrough viewers of the same size and quality).
///
/// `followsNative` marks a request for whatever the camera's native size is (no `resolution`, or
/// one larger than the camera's): when a scenario changes the native size mid-stream, such a
/// viewer gets the new size from the next frame on, as from a real camera whose stream settings
/// were changed; `size` is then only the size it was asked at.
public struct FrameVariant: Hashable, Sendable, CustomStringConvertible {
    public var size: PixelSize
    /// JPEG quality 1...100, used whenever the frame is encoded here.
    public var quality: Int
    /// Serve the source's own JPEG when it has one of `size` (see the type's documentation).
    public var passthrough: Bool
    /// The size is the camera's native one, whatever it becomes (see the type's documentation).
    public var followsNative: Bool

    public init(size: PixelSize, quality: Int, passthrough: Bool = false, followsNative: Bool = false) {
        self.size = size
        self.quality = quality
        self.passthrough = passthrough
        self.followsNative = followsNative
    }

    /// The variant encoded when no source JPEG can be passed through.
    public var encodedEquivalent: FrameVariant { FrameVariant(size: size, quality: quality) }

    /// The concrete variant to encode while the native size is `nativeSize`.
    public func resolved(nativeSize: PixelSize) -> FrameVariant {
        FrameVariant(size: followsNative ? nativeSize : size, quality: quality, passthrough: passthrough)
    }

    public var description: String { "\(size)@q\(quality)" + (passthrough ? "/native" : "") }
}

/// One encoded frame, ready for the wire and shared (not copied) by every viewer of its variant.
///
/// `part` holds the whole MJPEG part a viewer writes after the stream's opening boundary: part
/// headers, the JPEG, and the next boundary (so a browser shows the frame at once, without
/// waiting for the following one). `jpeg` is a slice of the same storage for snapshots.
public struct EncodedFrame: Sendable {
    public let sequence: UInt64
    public let timeMilliseconds: Int64
    public let variant: FrameVariant
    public let part: ByteBuffer
    private let jpegRange: Range<Int>

    /// The JPEG alone (no copy).
    public var jpeg: ByteBuffer { part.getSlice(at: part.readerIndex + jpegRange.lowerBound, length: jpegRange.count)! }

    /// Builds the part around JPEG bytes: one allocation, one copy of the JPEG per variant.
    public init(
        sequence: UInt64, timeMilliseconds: Int64, variant: FrameVariant, jpeg: UnsafeRawBufferPointer,
        allocator: ByteBufferAllocator
    ) {
        let header = MJPEGFraming.partHeader(jpegLength: jpeg.count)
        var buffer = allocator.buffer(capacity: header.utf8.count + jpeg.count + MJPEGFraming.partTrailer.utf8.count)
        buffer.writeString(header)
        let start = buffer.writerIndex
        buffer.writeBytes(jpeg)
        buffer.writeString(MJPEGFraming.partTrailer)
        self.sequence = sequence
        self.timeMilliseconds = timeMilliseconds
        self.variant = variant
        self.part = buffer
        self.jpegRange = start..<(start + jpeg.count)
    }

    private init(sequence: UInt64, of frame: EncodedFrame) {
        self.sequence = sequence
        self.timeMilliseconds = frame.timeMilliseconds
        self.variant = frame.variant
        self.part = frame.part
        self.jpegRange = frame.jpegRange
    }

    /// The same bytes (shared, not copied) as frame `sequence`: a frozen camera repeats its picture
    /// as new frames, so streams keep flowing while what they show stays the same.
    func restamped(sequence: UInt64) -> EncodedFrame { EncodedFrame(sequence: sequence, of: self) }
}

/// The MJPEG wire layout of Axis cameras, which tinyCam mimics (docs/contract.md):
/// `multipart/x-mixed-replace; boundary=myboundary`, every part with `Content-Type` and
/// `Content-Length`, CRLF after the JPEG, no chunked encoding.
public enum MJPEGFraming {
    public static let boundary = "myboundary"
    public static let contentType = "multipart/x-mixed-replace; boundary=\(boundary)"
    /// Written once, right after the response head.
    public static let preamble = "--\(boundary)\r\n"
    /// The part headers for a JPEG of `jpegLength` bytes, ending with the blank line.
    public static func partHeader(jpegLength: Int) -> String {
        "Content-Type: image/jpeg\r\nContent-Length: \(jpegLength)\r\n\r\n"
    }
    /// CRLF after the JPEG, then the boundary that opens the next part.
    public static let partTrailer = "\r\n--\(boundary)\r\n"
}
