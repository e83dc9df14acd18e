import CV4L2
import DecoyCore
import DecoyMedia
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A failed V4L2 call: which one, and errno, so the log says what the device refused.
struct V4L2Failure: Error, CustomStringConvertible {
    let operation: String
    let code: Int32
    var detail: String?

    init(_ operation: String, code: Int32, detail: String? = nil) {
        self.operation = operation
        self.code = code
        self.detail = detail
    }

    /// Reads errno at once (any later call may change it).
    static func last(_ operation: String) -> V4L2Failure { V4L2Failure(operation, code: errno) }

    var description: String {
        if let detail { return "\(operation): \(detail)" }
        return "\(operation): \(String(cString: strerror(code)))"
    }
}

/// What a session negotiated with its device.
struct V4L2Negotiated: CustomStringConvertible {
    enum Layout {
        case jpeg
        case raw(RawPixelFormat)
    }

    let layout: Layout
    let fourcc: String
    let size: PixelSize
    let stride: Int
    let framesPerSecond: Double?

    var description: String {
        "\(size) \(fourcc)" + (framesPerSecond.map { " at \(String(format: "%.4g", $0)) fps" } ?? "")
    }
}

/// One open capture device, streaming through mmap buffers (libv4l2, so libv4lconvert can convert
/// formats the device has but Decoy does not read). Used only by its capture thread.
final class V4L2Session {
    let path: String
    let negotiated: V4L2Negotiated
    private let fd: Int32
    private var buffers: [UnsafeMutableRawBufferPointer]
    private var streaming: Bool
    private var closed = false

    private static let bufferCount: UInt32 = 4
    private static let captureType = CV4L2_BUF_TYPE_VIDEO_CAPTURE

    private init(path: String, fd: Int32, negotiated: V4L2Negotiated, buffers: [UnsafeMutableRawBufferPointer]) {
        self.path = path
        self.fd = fd
        self.negotiated = negotiated
        self.buffers = buffers
        self.streaming = true
    }

    /// Opens `path`, negotiates `size`/`format`, sets the frame rate and starts streaming.
    static func open(
        path: String, size: PixelSize, fps: Int, format: VideoCaptureFormat
    ) throws(V4L2Failure)
        -> V4L2Session
    {
        let fd = cv4l2_open(path, O_RDWR | O_NONBLOCK)
        guard fd >= 0 else { throw V4L2Failure.last("open \(path)") }
        var buffers: [UnsafeMutableRawBufferPointer] = []
        do throws(V4L2Failure) {
            try checkCapture(fd, path: path)
            let chosen = try setFormat(fd, size: size, pixelFormat: choose(format, offered: offered(fd)))
            let negotiated = V4L2Negotiated(
                layout: chosen.layout, fourcc: chosen.fourcc, size: chosen.size, stride: chosen.stride,
                framesPerSecond: setFrameRate(fd, fps: fps))
            try mapBuffers(fd, into: &buffers)
            var type = Int32(captureType)
            guard cv4l2_ioctl(fd, CV4L2_VIDIOC_STREAMON, &type) == 0 else { throw V4L2Failure.last("VIDIOC_STREAMON") }
            return V4L2Session(path: path, fd: fd, negotiated: negotiated, buffers: buffers)
        } catch {
            for buffer in buffers { _ = cv4l2_munmap(buffer.baseAddress, buffer.count) }
            _ = cv4l2_close(fd)
            throw error
        }
    }

    deinit { close() }

    /// Stops streaming and releases the buffers and the device (idempotent).
    func close() {
        guard !closed else { return }
        closed = true
        if streaming {
            var type = Int32(Self.captureType)
            _ = cv4l2_ioctl(fd, CV4L2_VIDIOC_STREAMOFF, &type)
            streaming = false
        }
        for buffer in buffers { _ = cv4l2_munmap(buffer.baseAddress, buffer.count) }
        buffers = []
        _ = cv4l2_close(fd)
    }

    /// Waits up to `timeoutMilliseconds` for a frame; nil when none came (or it was flagged bad, or
    /// could not be converted: `skipped` says which). Throws when the device failed or went away.
    func nextFrame(timeoutMilliseconds: Int32, skipped: inout String?) throws(V4L2Failure) -> SourceFrame? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        if ready < 0 {
            let code = errno
            if code == EINTR { return nil }
            throw V4L2Failure("poll", code: code)
        }
        guard ready > 0 else { return nil }
        var buffer = v4l2_buffer()
        buffer.type = Self.captureType
        buffer.memory = CV4L2_MEMORY_MMAP
        guard cv4l2_ioctl(fd, CV4L2_VIDIOC_DQBUF, &buffer) == 0 else {
            let code = errno
            if code == EAGAIN || code == EINTR {
                if descriptor.revents & Int16(POLLERR | POLLHUP) != 0 { throw V4L2Failure("poll", code: ENODEV) }
                return nil
            }
            throw V4L2Failure("VIDIOC_DQBUF", code: code)
        }
        defer { _ = cv4l2_ioctl(fd, CV4L2_VIDIOC_QBUF, &buffer) }
        guard Int(buffer.index) < buffers.count else {
            skipped = "the driver returned buffer \(buffer.index) of \(buffers.count)"
            return nil
        }
        if buffer.flags & CV4L2_BUF_FLAG_ERROR != 0 {
            skipped = "the driver flagged a frame as damaged"
            return nil
        }
        let mapped = buffers[Int(buffer.index)]
        let used = buffer.bytesused > 0 ? min(Int(buffer.bytesused), mapped.count) : mapped.count
        let bytes = UnsafeRawBufferPointer(rebasing: mapped[0..<used])
        switch negotiated.layout {
        case .jpeg:
            return .jpeg([UInt8](bytes), size: negotiated.size)
        case .raw(let format):
            do {
                return .pixels(
                    try I420Image(converting: bytes, format: format, size: negotiated.size, stride: negotiated.stride))
            } catch {
                skipped = error.description
                return nil
            }
        }
    }

    // MARK: - Negotiation

    private static func checkCapture(_ fd: Int32, path: String) throws(V4L2Failure) {
        var capability = v4l2_capability()
        guard cv4l2_ioctl(fd, CV4L2_VIDIOC_QUERYCAP, &capability) == 0 else {
            throw V4L2Failure.last("VIDIOC_QUERYCAP (is \(path) a V4L2 device?)")
        }
        let caps =
            capability.capabilities & CV4L2_CAP_DEVICE_CAPS != 0 ? capability.device_caps : capability.capabilities
        guard caps & CV4L2_CAP_VIDEO_CAPTURE != 0, caps & CV4L2_CAP_STREAMING != 0 else {
            throw V4L2Failure(
                "open \(path)", code: ENOTTY,
                detail: "not a streaming video capture device (a metadata or output node?); 'decoy devices' lists "
                    + "capture devices")
        }
    }

    /// Pixel formats the device lists (through libv4l2, so emulated ones too), with the emulated flag.
    private static func offered(_ fd: Int32) -> [(format: UInt32, emulated: Bool)] {
        var result: [(UInt32, Bool)] = []
        for index in 0..<VideoDeviceDiscovery.enumerationLimit {
            var description = v4l2_fmtdesc()
            description.index = index
            description.type = captureType
            guard cv4l2_ioctl(fd, CV4L2_VIDIOC_ENUM_FMT, &description) == 0 else { break }
            result.append((description.pixelformat, description.flags & CV4L2_FMT_FLAG_EMULATED != 0))
        }
        return result
    }

    /// The fourcc to ask for: the configured one, or for `auto` the device's own MJPEG, YUYV or NV12
    /// (in that order), else YU12 (converted by libv4lconvert).
    static func choose(_ format: VideoCaptureFormat, offered: [(format: UInt32, emulated: Bool)]) -> UInt32 {
        switch format {
        case .mjpeg:
            return offered.contains { $0.format == CV4L2_PIX_FMT_JPEG && !$0.emulated }
                ? CV4L2_PIX_FMT_JPEG : CV4L2_PIX_FMT_MJPEG
        case .yuyv: return CV4L2_PIX_FMT_YUYV
        case .nv12: return CV4L2_PIX_FMT_NV12
        case .yu12: return CV4L2_PIX_FMT_YUV420
        case .auto:
            let native = offered.filter { !$0.emulated }.map(\.format)
            for candidate in [CV4L2_PIX_FMT_MJPEG, CV4L2_PIX_FMT_JPEG, CV4L2_PIX_FMT_YUYV, CV4L2_PIX_FMT_NV12]
            where native.contains(candidate) {
                return candidate
            }
            return CV4L2_PIX_FMT_YUV420
        }
    }

    /// S_FMT, or G_FMT when the device refuses with EBUSY (v4l2loopback while its producer runs);
    /// what the driver settled on must be a format Decoy reads.
    private static func setFormat(
        _ fd: Int32, size: PixelSize, pixelFormat: UInt32
    ) throws(V4L2Failure)
        -> V4L2Negotiated
    {
        var format = v4l2_format()
        format.type = captureType
        format.fmt.pix.width = UInt32(size.width)
        format.fmt.pix.height = UInt32(size.height)
        format.fmt.pix.pixelformat = pixelFormat
        format.fmt.pix.field = CV4L2_FIELD_ANY
        if cv4l2_ioctl(fd, CV4L2_VIDIOC_S_FMT, &format) != 0 {
            let code = errno
            guard code == EBUSY else { throw V4L2Failure("VIDIOC_S_FMT", code: code) }
            format = v4l2_format()
            format.type = captureType
            guard cv4l2_ioctl(fd, CV4L2_VIDIOC_G_FMT, &format) == 0 else { throw V4L2Failure.last("VIDIOC_G_FMT") }
        }
        let pix = format.fmt.pix
        let fourcc = VideoDeviceDiscovery.fourcc(pix.pixelformat)
        let layout: V4L2Negotiated.Layout
        switch pix.pixelformat {
        case CV4L2_PIX_FMT_MJPEG, CV4L2_PIX_FMT_JPEG: layout = .jpeg
        case CV4L2_PIX_FMT_YUYV: layout = .raw(.yuyv)
        case CV4L2_PIX_FMT_NV12: layout = .raw(.nv12)
        case CV4L2_PIX_FMT_YUV420: layout = .raw(.yu12)
        default:
            throw V4L2Failure(
                "VIDIOC_S_FMT", code: EINVAL,
                detail: "the device settled on \(fourcc), which Decoy cannot read; set 'format' to one the device "
                    + "offers ('decoy devices' lists them) or 'yu12' for libv4l2's conversion")
        }
        let negotiatedSize = PixelSize(width: Int(pix.width), height: Int(pix.height))
        guard !negotiatedSize.isEmpty else {
            throw V4L2Failure("VIDIOC_S_FMT", code: EINVAL, detail: "the device reports size \(negotiatedSize)")
        }
        return V4L2Negotiated(
            layout: layout, fourcc: fourcc, size: negotiatedSize, stride: Int(pix.bytesperline), framesPerSecond: nil)
    }

    /// VIDIOC_S_PARM (vivid, like many webcams, starts at 5 fps); returns the rate the driver took,
    /// nil when it has no frame-rate control (v4l2loopback follows its producer).
    private static func setFrameRate(_ fd: Int32, fps: Int) -> Double? {
        var parameters = v4l2_streamparm()
        parameters.type = captureType
        parameters.parm.capture.timeperframe = v4l2_fract(numerator: 1, denominator: UInt32(max(1, fps)))
        guard cv4l2_ioctl(fd, CV4L2_VIDIOC_S_PARM, &parameters) == 0 else { return nil }
        let fraction = parameters.parm.capture.timeperframe
        return fraction.numerator > 0 ? Double(fraction.denominator) / Double(fraction.numerator) : nil
    }

    private static func mapBuffers(
        _ fd: Int32, into buffers: inout [UnsafeMutableRawBufferPointer]
    )
        throws(V4L2Failure)
    {
        var request = v4l2_requestbuffers()
        request.count = bufferCount
        request.type = captureType
        request.memory = CV4L2_MEMORY_MMAP
        guard cv4l2_ioctl(fd, CV4L2_VIDIOC_REQBUFS, &request) == 0 else { throw V4L2Failure.last("VIDIOC_REQBUFS") }
        guard request.count > 0 else {
            throw V4L2Failure("VIDIOC_REQBUFS", code: ENOMEM, detail: "the driver granted no buffers")
        }
        for index in 0..<request.count {
            var buffer = v4l2_buffer()
            buffer.index = index
            buffer.type = captureType
            buffer.memory = CV4L2_MEMORY_MMAP
            guard cv4l2_ioctl(fd, CV4L2_VIDIOC_QUERYBUF, &buffer) == 0 else {
                throw V4L2Failure.last("VIDIOC_QUERYBUF")
            }
            let length = Int(buffer.length)
            guard let address = cv4l2_mmap(length, fd, Int64(buffer.m.offset)), cv4l2_mapped(address) != 0 else {
                throw V4L2Failure.last("mmap")
            }
            buffers.append(UnsafeMutableRawBufferPointer(start: address, count: length))
            guard cv4l2_ioctl(fd, CV4L2_VIDIOC_QBUF, &buffer) == 0 else { throw V4L2Failure.last("VIDIOC_QBUF") }
        }
    }
}
