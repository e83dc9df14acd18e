/// The uncompressed layouts V4L2 capture devices deliver that Decoy converts itself (fast loops on
/// the capture thread); anything else is asked from libv4lconvert as YU12.
public enum RawPixelFormat: String, Sendable, CaseIterable {
    /// Packed 4:2:2, `Y0 U Y1 V` per two pixels (most UVC webcams' uncompressed format, vivid's default).
    case yuyv
    /// Y plane, then one plane of interleaved `U V` at half resolution both ways.
    case nv12
    /// I420: Y, U, V planes (`V4L2_PIX_FMT_YUV420`, what libv4lconvert emulates for odd formats).
    case yu12

    /// Bytes a frame of `size` needs at least when rows are `stride` bytes apart (luma rows for the
    /// planar formats, whose chroma rows are half as long).
    public func minimumByteCount(size: PixelSize, stride: Int) -> Int {
        let chromaRows = (size.height + 1) / 2
        switch self {
        case .yuyv: return stride * size.height
        case .nv12: return stride * size.height + stride * chromaRows
        case .yu12: return stride * size.height + 2 * (stride / 2) * chromaRows
        }
    }

    /// The smallest row length a frame of `width` pixels can have.
    public func minimumStride(width: Int) -> Int { self == .yuyv ? width * 2 : width }
}

/// Why captured bytes could not be converted.
public struct PixelConversionError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
}

extension I420Image {
    /// Converts one captured frame to I420. `stride` is the device's `bytesperline` (0 = tightly
    /// packed). Chroma is averaged over each pair of rows for 4:2:2 input, so colours keep their
    /// value. Throws when the buffer is shorter than the format and size imply (a truncated buffer
    /// must not be read past its end); `size` must have an even width (every capture size is).
    public init(
        converting bytes: UnsafeRawBufferPointer, format: RawPixelFormat, size: PixelSize, stride: Int = 0
    )
        throws(PixelConversionError)
    {
        let stride = stride > 0 ? stride : format.minimumStride(width: size.width)
        guard !size.isEmpty, stride >= format.minimumStride(width: size.width) else {
            throw PixelConversionError(
                description: "\(format.rawValue) \(size) with row length \(stride) is impossible")
        }
        guard size.width % 2 == 0 else {
            throw PixelConversionError(description: "\(format.rawValue) needs an even width, got \(size)")
        }
        let needed = format.minimumByteCount(size: size, stride: stride)
        guard bytes.count >= needed, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw PixelConversionError(
                description: "\(format.rawValue) \(size) needs \(needed) bytes, the buffer holds \(bytes.count)")
        }
        var image = I420Image(size: size)
        let (uOffset, vOffset, chroma) = (image.uOffset, image.vOffset, image.chromaSize)
        image.bytes.withUnsafeMutableBufferPointer { target in
            let y = target.baseAddress!
            let planes = PlanePointers(y: y, u: y + uOffset, v: y + vOffset, size: size, chroma: chroma)
            switch format {
            case .yuyv: planes.fillFromYUYV(base, stride: stride)
            case .nv12: planes.fillFromNV12(base, stride: stride)
            case .yu12: planes.fillFromYU12(base, stride: stride)
            }
        }
        self = image
    }
}

/// Destination planes of a conversion, unpadded.
private struct PlanePointers {
    let y: UnsafeMutablePointer<UInt8>
    let u: UnsafeMutablePointer<UInt8>
    let v: UnsafeMutablePointer<UInt8>
    let size: PixelSize
    let chroma: PixelSize

    func copyLuma(_ source: UnsafePointer<UInt8>, stride: Int) {
        for row in 0..<size.height { (y + row * size.width).update(from: source + row * stride, count: size.width) }
    }

    func fillFromYUYV(_ source: UnsafePointer<UInt8>, stride: Int) {
        let width = size.width
        for row in 0..<size.height {
            let line = source + row * stride
            let out = y + row * width
            for x in 0..<width { out[x] = line[2 &* x] }
        }
        for row in 0..<chroma.height {
            let top = source + (2 * row) * stride
            let bottom = 2 * row + 1 < size.height ? top + stride : top
            let outU = u + row * chroma.width
            let outV = v + row * chroma.width
            for x in 0..<chroma.width {
                let i = 4 &* x
                outU[x] = UInt8(truncatingIfNeeded: (UInt16(top[i &+ 1]) &+ UInt16(bottom[i &+ 1]) &+ 1) >> 1)
                outV[x] = UInt8(truncatingIfNeeded: (UInt16(top[i &+ 3]) &+ UInt16(bottom[i &+ 3]) &+ 1) >> 1)
            }
        }
    }

    func fillFromNV12(_ source: UnsafePointer<UInt8>, stride: Int) {
        copyLuma(source, stride: stride)
        let interleaved = source + stride * size.height
        for row in 0..<chroma.height {
            let line = interleaved + row * stride
            let outU = u + row * chroma.width
            let outV = v + row * chroma.width
            for x in 0..<chroma.width {
                outU[x] = line[2 &* x]
                outV[x] = line[2 &* x &+ 1]
            }
        }
    }

    func fillFromYU12(_ source: UnsafePointer<UInt8>, stride: Int) {
        copyLuma(source, stride: stride)
        let chromaStride = stride / 2
        let uPlane = source + stride * size.height
        let vPlane = uPlane + chromaStride * chroma.height
        for row in 0..<chroma.height {
            (u + row * chroma.width).update(from: uPlane + row * chromaStride, count: chroma.width)
            (v + row * chroma.width).update(from: vPlane + row * chromaStride, count: chroma.width)
        }
    }
}
