import CTurboJPEG

/// A failure from the JPEG encoder or decoder.
///
/// It carries libturbojpeg's own message (`tjGetErrorStr2`) copied right after the failing call, because that
/// text is what explains a corrupt upload or a bad parameter and the handle's error state is overwritten by the
/// next call.
public struct JPEGError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, so callers can react without parsing the message.
    public enum Kind: String, Sendable {
        /// libturbojpeg could not create a handle or a buffer.
        case initialization
        /// The caller passed something the codec cannot take (bad quality, empty data, inconsistent image).
        case invalidArgument
        /// libturbojpeg failed while compressing.
        case compression
        /// libturbojpeg failed while reading or decompressing the data (usually: not a JPEG, or truncated).
        case decompression
        /// A valid JPEG in a layout this API does not serve (e.g. 4:4:4 given to `decodeI420`).
        case unsupportedFormat
    }

    /// The category of the failure.
    public let kind: Kind
    /// Human-readable detail, from libturbojpeg when the library reported the failure.
    public let message: String

    /// Creates an error; used by the codec classes and available to callers wrapping their own checks.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// `JPEG <kind> error: <message>`, suitable for logs and HTTP error bodies.
    public var description: String { "JPEG \(kind.rawValue) error: \(message)" }

    /// Captures the library's error text for `handle` (or the global text when there is no handle yet).
    static func library(_ kind: Kind, handle: tjhandle?) -> JPEGError {
        guard let text = tjGetErrorStr2(handle) else { return JPEGError(kind, "unknown libturbojpeg error") }
        return JPEGError(kind, String(cString: text))
    }
}
