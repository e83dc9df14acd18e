import DecoyMedia

/// Reads what a client received: the frame number drawn in every frame, and picture statistics.
enum FrameInspector {
    /// The frame number of the frame-id strip; throws when it cannot be read.
    static func number(_ jpeg: [UInt8]) throws -> UInt32 {
        let gray = try JPEGDecoder().decodeGray(jpeg)
        guard let number = FrameID.decode(gray) else { throw MJPEGError("no readable frame id in a \(gray.size) JPEG") }
        return number
    }

    static func image(_ jpeg: [UInt8]) throws -> I420Image { try JPEGDecoder().decodeI420(jpeg) }

    static func size(_ jpeg: [UInt8]) throws -> PixelSize { try JPEGDecoder().size(of: jpeg) }
}

/// Statistics over the middle half of the rows, clear of the frame-id strip and the text overlays.
struct PictureStats: Sendable, CustomStringConvertible {
    let meanY: Double
    let meanU: Double
    let meanV: Double
    /// Mean U of the right quarter minus mean U of the left quarter: how much of the world's
    /// left-to-right chroma ramp the view spans.
    let uSpread: Double

    init(_ image: I420Image) {
        let chroma = image.chromaSize
        let rows = (chroma.height / 4)..<(chroma.height * 3 / 4)
        func mean(_ offset: Int, columns: Range<Int>) -> Double {
            var total = 0
            for row in rows {
                for column in columns { total += Int(image.bytes[offset + row * chroma.width + column]) }
            }
            return Double(total) / Double(rows.count * columns.count)
        }
        let all = 0..<chroma.width
        meanU = mean(image.uOffset, columns: all)
        meanV = mean(image.vOffset, columns: all)
        uSpread =
            mean(image.uOffset, columns: (chroma.width * 3 / 4)..<chroma.width)
            - mean(image.uOffset, columns: 0..<(chroma.width / 4))
        var luma = 0
        let lumaRows = (image.size.height / 4)..<(image.size.height * 3 / 4)
        for row in lumaRows {
            for column in 0..<image.size.width { luma += Int(image.bytes[row * image.size.width + column]) }
        }
        meanY = Double(luma) / Double(lumaRows.count * image.size.width)
    }

    var description: String {
        "Y \(Int(meanY)) U \(Int(meanU)) V \(Int(meanV)) U-spread \(Int(uSpread))"
    }
}

/// Frame numbers as received.
extension [UInt32] {
    var isStrictlyIncreasing: Bool { zip(self, dropFirst()).allSatisfy { $0 < $1 } }
    /// Differences between consecutive numbers.
    var gaps: [Int] { zip(self, dropFirst()).map { Int($1) - Int($0) } }
}
