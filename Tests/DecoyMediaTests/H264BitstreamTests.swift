import DecoyMedia
import Testing

@Suite("H.264 byte stream and SPS reader")
struct H264BitstreamTests {
    /// openh264's SPS for 640x480 Constrained Baseline level 3.0 (pic_width_in_mbs 40, height 30).
    static let vgaSPS: [UInt8] = [0x67, 0x42, 0xC0, 0x1E, 0x8C, 0x8D, 0x40, 0x50, 0x1E, 0xD0, 0x0F, 0x08, 0x84, 0x6A]

    @Test("Annex-B splits at 3- and 4-byte start codes, dropping trailing zeros and leading garbage")
    func split() {
        let stream: [UInt8] = [0xFF, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 4, 5]
        let units = H264Bitstream.nalUnits(inAnnexB: stream).map(Array.init)
        #expect(units == [[0x67, 1, 2], [0x68, 3], [0x65, 4, 5]])
        #expect(units.map { H264Bitstream.nalType($0) } == [.sequenceParameterSet, .pictureParameterSet, .idrSlice])
        #expect(H264Bitstream.annexB(units) == [0, 0, 0, 1, 0x67, 1, 2, 0, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5])
        #expect(H264Bitstream.nalUnits(inAnnexB: H264Bitstream.annexB(units)).map(Array.init) == units)
    }

    @Test("the SPS reader finds profile, constraints, level and the picture size")
    func readsSPS() throws {
        let sps = try #require(H264SequenceParameterSet(Self.vgaSPS))
        #expect(sps.profileIDC == 66)
        #expect(sps.constraintFlags == 0xC0)
        #expect(sps.levelIDC == 30)
        #expect(sps.size == PixelSize(width: 640, height: 480))
        #expect(sps.isConstrainedBaseline)
        #expect(sps.profileLevelID == "42c01e")
    }

    @Test("the SPS reader refuses what is no SPS or is cut short")
    func refusesOthers() {
        #expect(H264SequenceParameterSet([0x68, 0xCE, 0x3C, 0x80]) == nil)
        #expect(H264SequenceParameterSet(Array(Self.vgaSPS.prefix(6))) == nil)
        #expect(H264SequenceParameterSet([UInt8]()) == nil)
    }

    @Test("emulation prevention bytes are skipped when reading")
    func emulationPrevention() throws {
        // The constraint and level bytes made 00 00: on the wire they are 00 00 03, and the 03 must
        // not shift the fields after it.
        let escaped: [UInt8] = [0x67, 0x42, 0x00, 0x00, 0x03] + Self.vgaSPS[4...]
        let sps = try #require(H264SequenceParameterSet(escaped))
        #expect(sps.constraintFlags == 0 && sps.levelIDC == 0)
        #expect(sps.size == PixelSize(width: 640, height: 480))
    }
}
