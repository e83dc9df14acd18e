import DecoyMedia
import NIOCore

/// One encoded frame, ready for the wire and shared (not copied) by every viewer of its variant.
///
/// `part` holds the whole MJPEG part a viewer writes after the stream's opening boundary: part
/// headers, the JPEG, and the next boundary (so a browser shows the frame at once, without
/// waiting for the following one). `jpeg` is a slice of the same storage for snapshots.
///
/// The frame carries what a viewer needs to know about it (its picture size in `variant`, the
/// camera's rate when it was made in `framesPerSecond`), so viewers on other threads never ask the
/// hub per frame.
public struct EncodedFrame: Sendable {
    public let sequence: UInt64
    public let timeMilliseconds: Int64
    /// The camera's frame rate when the frame was made: a viewer that asked for fewer frames per
    /// second paces against it (a scenario may change the rate mid-stream).
    public let framesPerSecond: Int
    /// The variant the frame was made for, resolved: `size` is the picture's size.
    public let variant: FrameVariant
    public let part: ByteBuffer
    private let jpegRange: Range<Int>

    /// The picture's size.
    public var size: PixelSize { variant.size }

    /// The JPEG alone (no copy).
    public var jpeg: ByteBuffer { part.getSlice(at: part.readerIndex + jpegRange.lowerBound, length: jpegRange.count)! }

    /// Builds the part around JPEG bytes: one allocation, one copy of the JPEG per variant.
    public init(
        sequence: UInt64, timeMilliseconds: Int64, framesPerSecond: Int, variant: FrameVariant,
        jpeg: UnsafeRawBufferPointer, allocator: ByteBufferAllocator
    ) {
        let header = MJPEGFraming.partHeader(jpegLength: jpeg.count)
        var buffer = allocator.buffer(capacity: header.utf8.count + jpeg.count + MJPEGFraming.partTrailer.utf8.count)
        buffer.writeString(header)
        let start = buffer.writerIndex
        buffer.writeBytes(jpeg)
        buffer.writeString(MJPEGFraming.partTrailer)
        self.sequence = sequence
        self.timeMilliseconds = timeMilliseconds
        self.framesPerSecond = max(1, framesPerSecond)
        self.variant = variant
        self.part = buffer
        self.jpegRange = start..<(start + jpeg.count)
    }

    private init(sequence: UInt64, framesPerSecond: Int, of frame: EncodedFrame) {
        self.sequence = sequence
        self.timeMilliseconds = frame.timeMilliseconds
        self.framesPerSecond = framesPerSecond
        self.variant = frame.variant
        self.part = frame.part
        self.jpegRange = frame.jpegRange
    }

    /// The same bytes (shared, not copied) as frame `sequence`, made at `framesPerSecond`: a frozen
    /// camera repeats its picture as new frames, so streams keep flowing while what they show stays
    /// the same.
    func restamped(sequence: UInt64, framesPerSecond: Int) -> EncodedFrame {
        EncodedFrame(sequence: sequence, framesPerSecond: framesPerSecond, of: self)
    }
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
