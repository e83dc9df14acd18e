/// A stream's SPS and PPS, and what the SDP says of them (RFC 6184 section 8.1).
///
/// The same two NAL units also go in-band before every IDR; in the SDP they let a client set up
/// its decoder before the first packet, which is what `sprop-parameter-sets` is for.
public struct H264ParameterSets: Hashable, Sendable {
    /// The sequence parameter set NAL unit (type 7), header byte included, no start code.
    public let sps: [UInt8]
    /// The picture parameter set NAL unit (type 8).
    public let pps: [UInt8]

    /// Nil unless `sps` is an SPS of at least 4 bytes and `pps` a PPS.
    public init?(sps: some Collection<UInt8>, pps: some Collection<UInt8>) {
        guard sps.count >= 4, let spsHeader = sps.first, spsHeader & 0x1F == 7, let ppsHeader = pps.first,
            ppsHeader & 0x1F == 8
        else { return nil }
        self.sps = Array(sps)
        self.pps = Array(pps)
    }

    /// The first SPS and PPS among an access unit's NAL units (an IDR access unit carries both).
    public init?(nalUnits: [ArraySlice<UInt8>]) {
        guard let sps = nalUnits.first(where: { $0.first.map { $0 & 0x1F == 7 } ?? false }),
            let pps = nalUnits.first(where: { $0.first.map { $0 & 0x1F == 8 } ?? false })
        else { return nil }
        self.init(sps: sps, pps: pps)
    }

    /// `profile_idc`, the constraint flags and `level_idc`: the SPS's bytes 1 to 3 in lowercase
    /// hex (as gst-rtsp-server and Axis write it, e.g. `4d0029`).
    public var profileLevelID: String {
        sps[1...3].map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// `base64(SPS),base64(PPS)`.
    public var spropParameterSets: String { Base64.encode(sps) + "," + Base64.encode(pps) }

    /// The `a=fmtp:` parameters, in Axis's order: packetization mode 1 (single NAL units and
    /// FU-A, what `H264Packetizer` sends), the profile and level, the parameter sets.
    public var formatParameters: String {
        "packetization-mode=1;profile-level-id=\(profileLevelID);sprop-parameter-sets=\(spropParameterSets)"
    }
}
