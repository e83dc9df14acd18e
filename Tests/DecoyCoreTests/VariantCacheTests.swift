import DecoyMedia
import NIOCore
import Testing

@testable import DecoyCore

private let large = PixelSize(width: 320, height: 240)
private let small = PixelSize(width: 160, height: 120)

private func stamp(_ sequence: UInt64, fps: Int = 10) -> FrameStamp {
    FrameStamp(sequence: sequence, timeMilliseconds: Int64(sequence) * 100, framesPerSecond: fps)
}

/// A synthetic picture of frame `sequence` as pixels.
private func pixelPicture(_ sequence: UInt64, size: PixelSize = large) -> SourcePicture {
    let image = SyntheticRenderer(cameraName: "Cache", size: size, seed: 2).render(SceneState(frameNumber: sequence))
    return SourcePicture(image: image, jpeg: nil, size: size, stamp: stamp(sequence), producedAt: 0)
}

/// The same picture as a webcam's own JPEG.
private func jpegPicture(_ sequence: UInt64) throws -> SourcePicture {
    let image = SyntheticRenderer(cameraName: "Cache", size: large, seed: 2).render(SceneState(frameNumber: sequence))
    let jpeg = try JPEGEncoder().encode(image, quality: 85)
    return SourcePicture(image: nil, jpeg: jpeg, size: large, stamp: stamp(sequence), producedAt: 0)
}

@Suite("VariantCache, a value of one frame's variants")
struct VariantCacheTests {
    @Test("a variant is encoded once per picture; every later ask gets the same bytes")
    func encodeOnce() throws {
        var cache = VariantCache()
        var codecs = FrameCodecs()
        cache.show(pixelPicture(1))
        let variant = FrameVariant(size: small, quality: 60)
        let first = try cache.frame(of: variant, codecs: &codecs)
        let again = try cache.frame(of: variant, codecs: &codecs)
        #expect(storageAddress(first.part) == storageAddress(again.part))
        #expect(cache.work.variantsEncoded == 1)
        _ = try cache.frame(of: FrameVariant(size: small, quality: 61), codecs: &codecs)
        #expect(cache.work.variantsEncoded == 2, "another quality is another variant")
        #expect(cache.work.encodeNanoseconds > 0)
    }

    @Test("a frame is stamped with the picture's number, time, rate and the variant's size")
    func stamps() throws {
        var cache = VariantCache()
        var codecs = FrameCodecs()
        var picture = pixelPicture(7)
        picture = SourcePicture(
            image: picture.image, jpeg: nil, size: large,
            stamp: FrameStamp(sequence: 7, timeMilliseconds: 1234, framesPerSecond: 4), producedAt: 0)
        cache.show(picture)
        let frame = try cache.frame(of: FrameVariant(size: small, quality: 50), codecs: &codecs)
        #expect(frame.sequence == 7)
        #expect(frame.timeMilliseconds == 1234)
        #expect(frame.framesPerSecond == 4)
        #expect(frame.size == small)
        #expect(try JPEGDecoder().size(of: Array(buffer: frame.jpeg)) == small)
    }

    @Test("two qualities of one size scale the picture once")
    func scalingReuse() throws {
        var cache = VariantCache()
        var codecs = FrameCodecs()
        cache.show(pixelPicture(1))
        _ = try cache.frame(of: FrameVariant(size: small, quality: 40), codecs: &codecs)
        let scaled = try #require(cache.scaled[small])
        _ = try cache.frame(of: FrameVariant(size: small, quality: 80), codecs: &codecs)
        #expect(cache.scaled.count == 1)
        #expect(cache.scaled[small]?.bytes == scaled.bytes)
        _ = try cache.frame(of: FrameVariant(size: large, quality: 80), codecs: &codecs)
        #expect(cache.scaled.count == 1, "the native size is not scaled")
        #expect(cache.work.variantsEncoded == 3)
    }

    @Test("passthrough of the source's JPEG at its size: the device's bytes, no decode, no encode")
    func passthroughOfJPEG() throws {
        var cache = VariantCache()
        var codecs = FrameCodecs()
        let picture = try jpegPicture(1)
        cache.show(picture)
        let variant = FrameVariant(size: large, quality: 70, passthrough: true)
        let frame = try cache.frame(of: variant, codecs: &codecs)
        #expect(Array(buffer: frame.jpeg) == picture.jpeg)
        #expect(frame.variant == variant)
        #expect(storageAddress(try cache.frame(of: variant, codecs: &codecs).part) == storageAddress(frame.part))
        #expect(cache.work == VariantCache.Work(jpegsPassedThrough: 1))
    }

    @Test("a scaled and a re-compressed variant of a JPEG decode it once, then encode")
    func decodeOnce() throws {
        var cache = VariantCache()
        var codecs = FrameCodecs()
        let picture = try jpegPicture(1)
        cache.show(picture)
        let scaled = try cache.frame(of: FrameVariant(size: small, quality: 50), codecs: &codecs)
        let recompressed = try cache.frame(of: FrameVariant(size: large, quality: 40), codecs: &codecs)
        #expect(Array(buffer: recompressed.jpeg) != picture.jpeg)
        #expect(try JPEGDecoder().size(of: Array(buffer: scaled.jpeg)) == small)
        #expect(cache.work.jpegsDecoded == 1)
        #expect(cache.work.variantsEncoded == 2)
        #expect(cache.work.jpegsPassedThrough == 0)
    }

    @Test("passthrough with no JPEG of that size shares the plain variant's frame")
    func passthroughFallsBackToTheEncode() throws {
        var cache = VariantCache()
        var codecs = FrameCodecs()
        cache.show(pixelPicture(1))
        let native = FrameVariant(size: large, quality: 70, passthrough: true)
        let passed = try cache.frame(of: native, codecs: &codecs)
        let plain = try cache.frame(of: native.encodedEquivalent, codecs: &codecs)
        #expect(storageAddress(passed.part) == storageAddress(plain.part))
        #expect(cache.work.variantsEncoded == 1)
        #expect(cache.work.jpegsPassedThrough == 0)

        // A JPEG of another size than asked is not passed through either.
        var jpegCache = VariantCache()
        jpegCache.show(try jpegPicture(2))
        let other = FrameVariant(size: small, quality: 70, passthrough: true)
        let frame = try jpegCache.frame(of: other, codecs: &codecs)
        #expect(try JPEGDecoder().size(of: Array(buffer: frame.jpeg)) == small)
        #expect(jpegCache.work.jpegsPassedThrough == 0)
        #expect(jpegCache.work.variantsEncoded == 1)
    }

    @Test("a followsNative variant resolves to the native size now and shares that variant's frame")
    func followsNative() throws {
        let asked = FrameVariant(size: small, quality: 70, followsNative: true)
        #expect(asked.resolved(nativeSize: large) == FrameVariant(size: large, quality: 70))
        #expect(asked.resolved(nativeSize: small) == FrameVariant(size: small, quality: 70))
        #expect(FrameVariant(size: small, quality: 70).resolved(nativeSize: large).size == small)
        var cache = VariantCache()
        var codecs = FrameCodecs()
        cache.show(pixelPicture(1))
        let native = try cache.frame(of: asked.resolved(nativeSize: large), codecs: &codecs)
        let plain = try cache.frame(of: FrameVariant(size: large, quality: 70), codecs: &codecs)
        #expect(storageAddress(native.part) == storageAddress(plain.part))
        #expect(cache.work.variantsEncoded == 1)
    }

    @Test("a new picture drops the old variants; the same picture again keeps their bytes, restamped")
    func newAndRepeatedPictures() throws {
        var cache = VariantCache()
        var codecs = FrameCodecs()
        let variant = FrameVariant(size: small, quality: 60)
        let first = pixelPicture(1)
        cache.show(first)
        let one = try cache.frame(of: variant, codecs: &codecs)
        cache.showAgain(first.repeated(sequence: 2, framesPerSecond: 4, producedAt: 200))
        let two = try cache.frame(of: variant, codecs: &codecs)
        #expect(storageAddress(two.part) == storageAddress(one.part))
        #expect(two.sequence == 2)
        #expect(two.framesPerSecond == 4)
        #expect(two.timeMilliseconds == one.timeMilliseconds, "a frozen picture keeps its time")
        #expect(cache.work.variantsEncoded == 1)
        cache.show(pixelPicture(3))
        let three = try cache.frame(of: variant, codecs: &codecs)
        #expect(three.sequence == 3)
        #expect(Array(buffer: three.jpeg) != Array(buffer: one.jpeg))
        #expect(cache.work.variantsEncoded == 2)
    }

    @Test("with no picture (none yet, or forgotten) there is no frame")
    func noPicture() throws {
        var cache = VariantCache()
        var codecs = FrameCodecs()
        let variant = FrameVariant(size: small, quality: 60)
        #expect(throws: FrameHubError.self) { try cache.frame(of: variant, codecs: &codecs) }
        cache.show(pixelPicture(1))
        _ = try cache.frame(of: variant, codecs: &codecs)
        cache.forget()
        #expect(cache.picture == nil)
        #expect(throws: FrameHubError.self) { try cache.frame(of: variant, codecs: &codecs) }
        #expect(throws: FrameHubError.self) { try cache.pixels(codecs: &codecs) }
    }
}
