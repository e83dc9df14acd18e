import Testing

@testable import DecoyMedia

@Suite("I420 scaling and basic types")
struct ScalingTests {
    @Test(
        "output has exactly the requested size",
        arguments: [
            (PixelSize(width: 1280, height: 720), PixelSize(width: 320, height: 240)),
            (PixelSize(width: 1279, height: 719), PixelSize(width: 321, height: 241)),
            (PixelSize(width: 640, height: 480), PixelSize(width: 160, height: 120)),
            (PixelSize(width: 7, height: 5), PixelSize(width: 3, height: 2)),
            (PixelSize(width: 4, height: 4), PixelSize(width: 9, height: 7)),
        ])
    func exactSize(from source: PixelSize, to target: PixelSize) {
        let scaled = I420Image(size: source, fillY: 50).scaled(to: target)
        #expect(scaled.size == target)
        #expect(scaled.bytes.count == I420Image.byteCount(for: target))
    }

    @Test("a flat image stays flat in every plane, including odd sizes")
    func flatStaysFlat() {
        let scaled = I420Image(size: PixelSize(width: 1279, height: 719), fillY: 77, fillU: 99, fillV: 201)
            .scaled(to: PixelSize(width: 321, height: 241))
        #expect(scaled.bytes[scaled.lumaRange].allSatisfy { $0 == 77 })
        #expect(scaled.bytes[scaled.uRange].allSatisfy { $0 == 99 })
        #expect(scaled.bytes[scaled.vRange].allSatisfy { $0 == 201 })
    }

    @Test(
        "the fixed-point division matches exact rounded box averages",
        arguments: [
            (PixelSize(width: 97, height: 61), PixelSize(width: 31, height: 17)),
            (PixelSize(width: 1280, height: 720), PixelSize(width: 640, height: 360)),
            (PixelSize(width: 3840, height: 2160), PixelSize(width: 16, height: 16)),
        ])
    func matchesExactAverages(from source: PixelSize, to target: PixelSize) {
        var image = I420Image(size: source)
        var state: UInt32 = 12345
        for index in image.bytes.indices {
            state = state &* 1_103_515_245 &+ 12345
            image.bytes[index] = UInt8(truncatingIfNeeded: state >> 16)
        }
        let scaled = image.scaled(to: target)
        // Reference: the same boxes, summed and divided exactly, luma plane only.
        let columns = BoxScaler.Spans(source: source.width, target: target.width)
        let rows = BoxScaler.Spans(source: source.height, target: target.height)
        var mismatches = 0
        for outY in 0..<target.height {
            for outX in 0..<target.width {
                var total = 0
                for y in rows.starts[outY]..<rows.ends[outY] {
                    for x in columns.starts[outX]..<columns.ends[outX] {
                        total += Int(image.bytes[y * source.width + x])
                    }
                }
                let count = (rows.ends[outY] - rows.starts[outY]) * (columns.ends[outX] - columns.starts[outX])
                let exact = (total + count / 2) / count
                if Int(scaled.bytes[outY * target.width + outX]) != exact { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
        let flat = I420Image(size: source, fillY: 255, fillU: 0, fillV: 128).scaled(to: target)
        #expect(flat.bytes[flat.lumaRange].allSatisfy { $0 == 255 })
        #expect(flat.bytes[flat.uRange].allSatisfy { $0 == 0 })
    }

    @Test("downscaling averages the whole box")
    func boxAverage() {
        var image = I420Image(size: PixelSize(width: 2, height: 2))
        image.bytes.replaceSubrange(0..<4, with: [10, 20, 30, 41])
        #expect(image.scaled(to: PixelSize(width: 1, height: 1)).bytes[0] == 25)
    }

    @Test("a luma ramp stays strictly increasing after downscaling")
    func rampStaysMonotonic() {
        var image = I420Image(size: PixelSize(width: 256, height: 8))
        for y in 0..<8 { for x in 0..<256 { image.bytes[y * 256 + x] = UInt8(x) } }
        let row = Array(image.scaled(to: PixelSize(width: 64, height: 3)).bytes[0..<64])
        #expect(zip(row, row.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("upscaling repeats the nearest pixel")
    func upscaleNearest() {
        var image = I420Image(size: PixelSize(width: 2, height: 1))
        image.bytes[0] = 0
        image.bytes[1] = 200
        #expect(Array(image.scaled(to: PixelSize(width: 4, height: 1)).bytes[0..<4]) == [0, 0, 200, 200])
    }

    @Test("PixelSize prints and parses the WIDTHxHEIGHT form")
    func pixelSizeText() {
        #expect(PixelSize(width: 640, height: 480).description == "640x480")
        #expect(PixelSize("1920x1080") == PixelSize(width: 1920, height: 1080))
        #expect(PixelSize("640x") == nil)
        #expect(PixelSize("0x480") == nil)
        #expect(PixelSize("640*480") == nil)
    }

    @Test("Viewport.clamped forces every value into range and NaN to home")
    func viewportClamping() {
        let wild = Viewport(pan: 3, tilt: -7, zoom: 99, focus: .nan, iris: -1).clamped
        #expect(wild == Viewport(pan: 1, tilt: -1, zoom: Viewport.maxZoom, focus: 0.5, iris: 0))
        #expect(Viewport(zoom: 0.2).clamped.zoom == 1)
    }

    @Test("chroma cover of a luma rectangle includes every touched sample")
    func chromaCover() {
        #expect(PixelRect(x: 1, y: 1, width: 2, height: 1).chromaCover == PixelRect(x: 0, y: 0, width: 2, height: 1))
        #expect(PixelRect(x: 2, y: 2, width: 2, height: 2).chromaCover == PixelRect(x: 1, y: 1, width: 1, height: 1))
    }
}
