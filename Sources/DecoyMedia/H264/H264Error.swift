/// A failure of the H.264 encoder: what was asked and what openh264 answered.
///
/// openh264 reports failures as bare numbers (`CM_RETURN`), so the message names the call, the
/// configuration it was given and the number's meaning, which is what a log reader needs to fix it.
public struct H264Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, so callers can react without parsing the message.
    public enum Kind: String, Sendable {
        /// The configuration is outside what the encoder takes (size, rate, quality, bitrate, interval).
        case invalidConfiguration
        /// openh264 could not create or initialise an encoder.
        case initialization
        /// The image does not fit the encoder (another size, a damaged buffer).
        case invalidImage
        /// openh264 failed while encoding a picture.
        case encoding
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// `H.264 <kind> error: <message>`, for logs and the hub's last error.
    public var description: String { "H.264 \(kind.rawValue) error: \(message)" }

    /// The meaning of an openh264 return code (`CM_RETURN`).
    static func meaning(of code: Int32) -> String {
        switch code {
        case 0: "success"
        case 1: "invalid parameters (cmInitParaError)"
        case 2: "unknown reason (cmUnknownReason)"
        case 3: "out of memory (cmMallocMemeError)"
        case 4: "not initialised (cmInitExpected)"
        case 5: "unsupported data (cmUnsupportedData)"
        default: "code \(code)"
        }
    }
}
