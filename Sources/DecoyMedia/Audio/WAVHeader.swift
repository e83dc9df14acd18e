/// The RIFF/WAVE header of an endless stream (`receive.wav`, docs/contract.md): PCM
/// (format 1), mono, 16-bit little-endian, with the RIFF and `data` sizes set to `0xFFFFFFFF`,
/// which browsers, ffmpeg, GStreamer's wavparse and SoX read as "until the stream ends".
public enum WAVHeader {
    /// Size of the header: RIFF (12) + `fmt ` chunk (24) + `data` chunk head (8).
    public static let size = 44
    /// The size written into the RIFF and `data` fields of a stream of unknown length.
    public static let unknownSize: UInt32 = 0xFFFF_FFFF

    /// The 44 header bytes for mono 16-bit PCM at `sampleRate`.
    public static func streaming(sampleRate: Int) -> [UInt8] {
        let channels: UInt16 = 1
        let bitsPerSample: UInt16 = 16
        let blockAlign = channels * bitsPerSample / 8
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        func tag(_ text: String) { bytes += Array(text.utf8) }
        func le32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        func le16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        tag("RIFF")
        le32(unknownSize)
        tag("WAVE")
        tag("fmt ")
        le32(16)
        le16(1)
        le16(channels)
        le32(UInt32(sampleRate))
        le32(UInt32(sampleRate) * UInt32(blockAlign))
        le16(blockAlign)
        le16(bitsPerSample)
        tag("data")
        le32(unknownSize)
        return bytes
    }
}
