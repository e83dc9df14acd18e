/// Reads an MJPEG response part by part, strictly by the layout Decoy promises
/// (`wire-reference.md` §4.2 and §12), throwing on any deviation:
///
///     --myboundary\r\n                      (once, after the head)
///     Content-Type: image/jpeg\r\n
///     Content-Length: N\r\n
///     \r\n
///     <N bytes, FFD8 … FFD9>\r\n
///     --myboundary\r\n
final class MJPEGReader: @unchecked Sendable {
    static let boundaryLine = Array("--myboundary\r\n".utf8)
    let socket: RawSocket
    let head: RawResponse
    private(set) var partsRead = 0

    /// Sends the request and reads the head and the opening boundary.
    init(socket: RawSocket, request: String) throws {
        self.socket = socket
        try socket.send(request)
        head = try socket.readHead()
        guard head.status == 200 else {
            throw MJPEGError("video.cgi answered \(head.status): \(head.head)")
        }
        let opening = try socket.read(exactly: Self.boundaryLine.count)
        guard opening == Self.boundaryLine else {
            throw MJPEGError("the body does not start with --myboundary CRLF: \(Array(opening))")
        }
    }

    /// Connects, asks for `target` as admin and reads up to the first part.
    convenience init(port: Int, target: String, receiveBuffer: Int? = nil) throws {
        let socket = try RawSocket.connect(port: port, receiveBuffer: receiveBuffer)
        try self.init(socket: socket, request: Request.get(target))
    }

    /// The next JPEG, with its part checked.
    func nextJPEG() throws -> [UInt8] {
        let headerBytes = try socket.read(through: .headEnd, limit: 1024)
        let expectedPrefix = "Content-Type: image/jpeg\r\nContent-Length: "
        let text = String(decoding: headerBytes, as: UTF8.self)
        // Byte offsets: a String counts "\r\n" as one character.
        let digits = headerBytes.dropFirst(expectedPrefix.utf8.count).dropLast(4)
        guard headerBytes.starts(with: expectedPrefix.utf8), headerBytes.suffix(4).elementsEqual([UInt8].headEnd),
            let length = Int(String(decoding: digits, as: UTF8.self)), length > 4
        else { throw MJPEGError("part \(partsRead) has unexpected headers: \(text.debugDescription)") }
        let jpeg = try socket.read(exactly: length)
        guard jpeg.starts(with: [0xFF, 0xD8]), jpeg.suffix(2).elementsEqual([0xFF, 0xD9]) else {
            throw MJPEGError("part \(partsRead) is not SOI…EOI")
        }
        let trailer = try socket.read(exactly: 2 + Self.boundaryLine.count)
        guard trailer == [UInt8].crlf + Self.boundaryLine else {
            throw MJPEGError("part \(partsRead) is not followed by CRLF --myboundary CRLF: \(trailer)")
        }
        partsRead += 1
        return jpeg
    }

    func close() { socket.close() }
}

struct MJPEGError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
