/// Session identifiers: 16 random letters and digits.
///
/// gst-rtsp-server (and so Axis firmware) makes 16 random characters; its alphabet also has
/// `$ - _ . +`, which this server leaves out so an id never needs quoting in a log, a URL or a
/// shell. 62^16 ids leave no room for guessing another client's session. The generator is
/// injected: a scenario's seed gives the same ids every run.
public enum RTSPSessionID {
    public static let length = 16
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    public static func generate(using generator: inout some RandomNumberGenerator) -> String {
        let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
