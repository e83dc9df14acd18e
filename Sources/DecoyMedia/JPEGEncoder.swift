import CTurboJPEG

/// Compresses I420 frames to baseline 4:2:0 JPEG with libturbojpeg.
///
/// It is deliberately not `Sendable`: a libturbojpeg handle must not be used by two threads at once, so each
/// encoding thread owns its own encoder. The output buffer is allocated once per size (worst case from
/// `tjBufSize`) and reused with `TJFLAG_NOREALLOC`, so steady-state encoding allocates nothing.
public final class JPEGEncoder {
    /// Qualities libjpeg accepts. Out-of-range values throw rather than clamp, so a caller's bug (e.g. a
    /// 0...1 scale) is reported instead of silently producing the worst or best quality.
    public static let qualityRange = 1...100

    private let handle: tjhandle
    private var buffer: UnsafeMutablePointer<UInt8>?
    private var capacity = 0

    /// Creates the libturbojpeg compressor; throws `.initialization` if the library cannot.
    public init() throws {
        guard let handle = tjInitCompress() else { throw JPEGError.library(.initialization, handle: nil) }
        self.handle = handle
    }

    deinit {
        if let buffer { tjFree(buffer) }
        tjDestroy(handle)
    }

    /// Encodes `image` at `quality` (1...100, else `.invalidArgument`) and passes the JPEG bytes to `body`.
    ///
    /// The bytes live in the encoder's reusable buffer and are valid only during the call, which lets a server
    /// copy them straight into its own send buffer without an intermediate array.
    public func encode<R>(_ image: I420Image, quality: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard Self.qualityRange.contains(quality) else {
            throw JPEGError(.invalidArgument, "quality \(quality) is outside \(Self.qualityRange)")
        }
        guard !image.size.isEmpty, image.hasValidLength else {
            throw JPEGError(.invalidArgument, "I420 image \(image.size) with \(image.bytes.count) bytes")
        }
        let width = Int32(image.size.width)
        let height = Int32(image.size.height)
        let subsampling = Int32(TJSAMP_420.rawValue)
        try reserve(tjBufSize(width, height, subsampling))
        var jpegSize = UInt(capacity)
        let status = image.bytes.withUnsafeBufferPointer { source in
            withUnsafeTemporaryAllocation(of: UnsafePointer<UInt8>?.self, capacity: 3) { planes in
                let base = source.baseAddress!
                planes[0] = base
                planes[1] = base + image.uOffset
                planes[2] = base + image.vOffset
                return tjCompressFromYUVPlanes(
                    handle, planes.baseAddress, width, nil, height, subsampling, &buffer, &jpegSize,
                    Int32(quality), TJFLAG_NOREALLOC)
            }
        }
        guard status == 0 else { throw JPEGError.library(.compression, handle: handle) }
        return try body(UnsafeRawBufferPointer(start: buffer, count: Int(jpegSize)))
    }

    /// Convenience that copies the JPEG into a new array; use the closure form on hot paths.
    public func encode(_ image: I420Image, quality: Int) throws -> [UInt8] {
        try encode(image, quality: quality) { [UInt8]($0) }
    }

    /// Makes sure the reusable buffer holds at least `required` bytes (grows only, never shrinks).
    private func reserve(_ required: UInt) throws {
        guard required != UInt.max, required <= UInt(Int32.max) else {
            throw JPEGError(.invalidArgument, "image too large for libturbojpeg")
        }
        guard Int(required) > capacity else { return }
        if let buffer { tjFree(buffer) }
        buffer = tjAlloc(Int32(required))
        guard buffer != nil else {
            capacity = 0
            throw JPEGError(.initialization, "cannot allocate \(required) bytes for the JPEG buffer")
        }
        capacity = Int(required)
    }
}
