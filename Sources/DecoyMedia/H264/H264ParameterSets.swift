import Foundation

/// A stream's SPS and PPS, the NAL units a decoder needs before the first picture.
///
/// They are known as soon as the encoder is initialised (`H264Encoder.parameterSets`), so an RTSP
/// DESCRIBE can announce them in SDP before any frame is encoded; the encoder repeats the very same
/// bytes in-band before every IDR (a viewer that missed the SDP still starts).
public struct H264ParameterSets: Hashable, Sendable {
    /// The SPS NAL unit, header byte first, without start code.
    public let sequenceParameterSet: [UInt8]
    /// The PPS NAL unit, header byte first, without start code.
    public let pictureParameterSet: [UInt8]
    /// The SPS as read back: profile, level and picture size.
    public let sequence: H264SequenceParameterSet

    /// Nil unless `sps` is an SPS this reader understands and `pps` is a PPS.
    public init?(sps: [UInt8], pps: [UInt8]) {
        guard let sequence = H264SequenceParameterSet(sps),
            H264Bitstream.nalType(pps) == .pictureParameterSet
        else { return nil }
        self.sequenceParameterSet = sps
        self.pictureParameterSet = pps
        self.sequence = sequence
    }

    /// SDP's `profile-level-id` (RFC 6184 8.1), e.g. `42c01e`.
    public var profileLevelID: String { sequence.profileLevelID }

    /// SDP's `sprop-parameter-sets` (RFC 6184 8.1): the SPS and the PPS in base64, comma-separated.
    public var spropParameterSets: String {
        Data(sequenceParameterSet).base64EncodedString() + "," + Data(pictureParameterSet).base64EncodedString()
    }
}
