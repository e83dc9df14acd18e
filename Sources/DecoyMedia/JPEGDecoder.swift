import CTurboJPEG

/// Decompresses JPEGs with libturbojpeg, mainly so tests and analysis can look at what the server sent.
///
/// Not `Sendable` for the same reason as `JPEGEncoder`: a libturbojpeg handle belongs to one thread.
public final class JPEGDecoder {
    private let handle: tjhandle

    /// Creates the libturbojpeg decompressor; throws `.initialization` if the library cannot.
    public init() throws {
        guard let handle = tjInitDecompress() else { throw JPEGError.library(.initialization, handle: nil) }
        self.handle = handle
    }

    deinit { tjDestroy(handle) }

    /// Reads only the header, which is cheap, to learn the picture size (e.g. to check a `resolution=` request).
    public func size(of jpeg: [UInt8]) throws -> PixelSize {
        try jpeg.withUnsafeBytes { try size(of: $0) }
    }

    /// Zero-copy variant of `size(of:)` for data already in a buffer.
    public func size(of jpeg: UnsafeRawBufferPointer) throws -> PixelSize {
        try header(of: jpeg).size
    }

    /// Decodes a 4:2:0 JPEG (what `JPEGEncoder` produces) into I420 without colour conversion.
    /// Other subsamplings throw `.unsupportedFormat` instead of being converted, so a test notices when a
    /// producer sends something unexpected; `decodeToI420` converts them (webcam input).
    public func decodeI420(_ jpeg: [UInt8]) throws -> I420Image {
        try jpeg.withUnsafeBytes { try decodeI420($0) }
    }

    /// Zero-copy variant of `decodeI420(_:)`.
    public func decodeI420(_ jpeg: UnsafeRawBufferPointer) throws -> I420Image {
        let (size, subsampling) = try header(of: jpeg)
        guard subsampling == Int32(TJSAMP_420.rawValue) else {
            throw JPEGError(
                .unsupportedFormat, "decodeI420 needs 4:2:0 subsampling, got \(Self.subsamplingName(subsampling))")
        }
        var image = I420Image(size: size)
        let (uOffset, vOffset) = (image.uOffset, image.vOffset)
        let status = image.bytes.withUnsafeMutableBufferPointer { target in
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<UInt8>?.self, capacity: 3) { planes in
                let base = target.baseAddress!
                planes[0] = base
                planes[1] = base + uOffset
                planes[2] = base + vOffset
                return tjDecompressToYUVPlanes(
                    handle, Self.bytes(jpeg), UInt(jpeg.count), planes.baseAddress, Int32(size.width), nil,
                    Int32(size.height), 0)
            }
        }
        guard status == 0 else { throw JPEGError.library(.decompression, handle: handle) }
        return image
    }

    /// Decodes a JPEG of any subsampling into I420, what webcams send included: UVC webcams' MJPEG is
    /// usually 4:2:2, some are 4:4:4. The planes are decoded at the JPEG's own subsampling (no colour
    /// conversion) and the chroma is then averaged down (or, for 4:1:1, repeated) to 4:2:0; greyscale
    /// gets neutral chroma. A 4:2:0 JPEG costs exactly what `decodeI420` costs.
    public func decodeToI420(_ jpeg: UnsafeRawBufferPointer) throws -> I420Image {
        let (size, subsampling) = try header(of: jpeg)
        if subsampling == Int32(TJSAMP_420.rawValue) { return try decodeI420(jpeg) }
        let (width, height) = (Int32(size.width), Int32(size.height))
        let planeSizes = (0..<3).map { component in
            PixelSize(
                width: Int(max(0, tjPlaneWidth(Int32(component), width, subsampling))),
                height: Int(max(0, tjPlaneHeight(Int32(component), height, subsampling))))
        }
        let grey = subsampling == Int32(TJSAMP_GRAY.rawValue)
        var native = [UInt8](repeating: 128, count: planeSizes.reduce(0) { $0 + $1.area })
        let status = native.withUnsafeMutableBufferPointer { target in
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<UInt8>?.self, capacity: 3) { planes in
                let base = target.baseAddress!
                planes[0] = base
                planes[1] = grey ? nil : base + planeSizes[0].area
                planes[2] = grey ? nil : base + planeSizes[0].area + planeSizes[1].area
                return tjDecompressToYUVPlanes(
                    handle, Self.bytes(jpeg), UInt(jpeg.count), planes.baseAddress, width, nil, height, 0)
            }
        }
        guard status == 0 else { throw JPEGError.library(.decompression, handle: handle) }
        var image = I420Image(size: size)
        image.bytes.replaceSubrange(image.lumaRange, with: native[0..<size.area])
        guard !grey else { return image }
        let chroma = image.chromaSize
        var offset = planeSizes[0].area
        for (component, target) in [(1, image.uOffset), (2, image.vOffset)] {
            let source = planeSizes[component]
            ChromaResampler(from: source, to: chroma).resample(
                native, at: offset, into: &image.bytes, at: target)
            offset += source.area
        }
        return image
    }

    /// Array variant of `decodeToI420(_:)`.
    public func decodeToI420(_ jpeg: [UInt8]) throws -> I420Image {
        try jpeg.withUnsafeBytes { try decodeToI420($0) }
    }

    /// Decodes any JPEG (colour or grey, any subsampling) to its luma, which is all frame-id reading needs.
    public func decodeGray(_ jpeg: [UInt8]) throws -> GrayImage {
        try jpeg.withUnsafeBytes { try decodeGray($0) }
    }

    /// Zero-copy variant of `decodeGray(_:)`.
    public func decodeGray(_ jpeg: UnsafeRawBufferPointer) throws -> GrayImage {
        let size = try header(of: jpeg).size
        var image = GrayImage(size: size, fill: 0)
        let status = image.pixels.withUnsafeMutableBufferPointer { target in
            tjDecompress2(
                handle, Self.bytes(jpeg), UInt(jpeg.count), target.baseAddress, Int32(size.width), 0,
                Int32(size.height), Int32(TJPF_GRAY.rawValue), 0)
        }
        guard status == 0 else { throw JPEGError.library(.decompression, handle: handle) }
        return image
    }

    /// Parses the header; empty input is rejected here because libturbojpeg needs a non-null pointer.
    private func header(of jpeg: UnsafeRawBufferPointer) throws -> (size: PixelSize, subsampling: Int32) {
        guard !jpeg.isEmpty else { throw JPEGError(.invalidArgument, "empty JPEG data") }
        var width: Int32 = 0
        var height: Int32 = 0
        var subsampling: Int32 = 0
        var colorspace: Int32 = 0
        let status = tjDecompressHeader3(
            handle, Self.bytes(jpeg), UInt(jpeg.count), &width, &height, &subsampling, &colorspace)
        guard status == 0 else { throw JPEGError.library(.decompression, handle: handle) }
        guard width > 0, height > 0 else { throw JPEGError(.decompression, "JPEG reports size \(width)x\(height)") }
        return (PixelSize(width: Int(width), height: Int(height)), subsampling)
    }

    private static func bytes(_ jpeg: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
        jpeg.baseAddress!.assumingMemoryBound(to: UInt8.self)
    }

    private static func subsamplingName(_ value: Int32) -> String {
        switch value {
        case Int32(TJSAMP_444.rawValue): "4:4:4"
        case Int32(TJSAMP_422.rawValue): "4:2:2"
        case Int32(TJSAMP_GRAY.rawValue): "greyscale"
        case Int32(TJSAMP_440.rawValue): "4:4:0"
        case Int32(TJSAMP_411.rawValue): "4:1:1"
        default: "subsampling #\(value)"
        }
    }
}
