import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why a raw socket operation failed.
struct SocketError: Error, CustomStringConvertible {
    enum Kind: Equatable {
        case refused, timedOut, reset, closed, tooLarge, other
    }

    let kind: Kind
    let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    static func system(_ what: String, _ code: Int32 = errno) -> SocketError {
        let kind: Kind =
            switch code {
            case ECONNREFUSED: .refused
            case EAGAIN, EWOULDBLOCK, ETIMEDOUT, EINPROGRESS: .timedOut
            case ECONNRESET, EPIPE: .reset
            default: .other
            }
        return SocketError(kind, "\(what): \(String(cString: strerror(code))) (errno \(code))")
    }
}

/// A blocking IPv4 TCP client socket to 127.0.0.1 that sends exact bytes and reads raw bytes.
///
/// Every receive is bounded by `SO_RCVTIMEO`, every read loop by a byte limit and a deadline.
/// Not thread-safe: one socket belongs to one thread (see `Blocking.run`).
final class RawSocket: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var isOpen = true
    /// Largest single `recv`; a small value with `pauseMilliseconds` emulates a slow reader.
    var chunkSize = 64 * 1024
    /// Pause before every `recv`.
    var pauseMilliseconds = 0
    /// No read operation on this socket runs past this instant.
    var deadline = ContinuousClock.now + .seconds(60)

    private init(fd: Int32) { self.fd = fd }

    deinit { close() }

    /// Connects to `127.0.0.1:port`. `receiveBuffer` sets `SO_RCVBUF` before connecting (so the
    /// advertised TCP window is small too).
    static func connect(port: Int, timeoutSeconds: Int = 10, receiveBuffer: Int? = nil) throws -> RawSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError.system("socket") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        let timeoutSize = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, timeoutSize)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, timeoutSize)
        if var size = receiveBuffer.map(Int32.init) {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let error = SocketError.system("connect to 127.0.0.1:\(port)")
            Glibc.close(fd)
            throw error
        }
        return RawSocket(fd: fd)
    }

    /// Sends every byte (or throws).
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw SocketError.system("send") }
            offset += sent
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Bytes received but not yet consumed.
    var buffered: Int { buffer.count - readIndex }

    /// Receives once into the buffer; returns the number of bytes (0 at end of stream).
    @discardableResult
    func receive() throws -> Int {
        guard ContinuousClock.now < deadline else { throw SocketError(.timedOut, "the read deadline passed") }
        if pauseMilliseconds > 0 { Blocking.sleep(milliseconds: pauseMilliseconds) }
        if readIndex > 0 && readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 1 << 20 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunkSize))
        let count = buffer.withUnsafeMutableBytes { raw in recv(fd, raw.baseAddress! + start, chunkSize, 0) }
        let code = errno
        buffer.removeLast(chunkSize - max(0, count))
        guard count >= 0 else { throw SocketError.system("recv", code) }
        return count
    }

    /// Consumes and returns `count` bytes.
    func read(exactly count: Int) throws -> [UInt8] {
        while buffered < count {
            guard try receive() > 0 else {
                throw SocketError(.closed, "the server closed after \(buffered) of \(count) bytes")
            }
        }
        return take(count)
    }

    /// Consumes and returns everything up to and including `marker`.
    func read(through marker: [UInt8], limit: Int) throws -> [UInt8] {
        // Relative to `readIndex`: `receive` may compact the buffer.
        var scanned = 0
        while true {
            if let end = find(marker, from: readIndex + scanned) { return take(end - readIndex) }
            scanned = max(0, buffered - marker.count + 1)
            guard buffered <= limit else { throw SocketError(.tooLarge, "no \(marker) within \(limit) bytes") }
            guard try receive() > 0 else {
                throw SocketError(
                    .closed, "the server closed before \(String(decoding: marker, as: UTF8.self).debugDescription)")
            }
        }
    }

    /// Consumes and returns everything until the server closes (at most `limit` bytes).
    func readToEnd(limit: Int = 16 << 20) throws -> [UInt8] {
        while buffered <= limit {
            if try receive() == 0 { return take(buffered) }
        }
        throw SocketError(.tooLarge, "more than \(limit) bytes before the end of the stream")
    }

    /// Waits until the server closes the connection; returns the bytes that came before (a reset
    /// counts as a close).
    func waitForClose(limit: Int = 16 << 20) throws -> [UInt8] {
        do {
            return try readToEnd(limit: limit)
        } catch let error as SocketError where error.kind == .reset {
            return take(buffered)
        }
    }

    /// Bounds every later `recv` by `milliseconds`.
    func setReceiveTimeout(milliseconds: Int) {
        var timeout = timeval(tv_sec: milliseconds / 1000, tv_usec: Int((milliseconds % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Stops sending (the server sees end of input).
    func shutdownWrite() { Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Closes with a reset instead of a FIN (`SO_LINGER` 0): an abrupt disappearance.
    func abort() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(fd)
    }

    private func take(_ count: Int) -> [UInt8] {
        let bytes = Array(buffer[readIndex..<(readIndex + count)])
        readIndex += count
        return bytes
    }

    /// The index just past the first occurrence of `marker` at or after `start`.
    private func find(_ marker: [UInt8], from start: Int) -> Int? {
        guard buffer.count - start >= marker.count else { return nil }
        let first = marker[0]
        var index = start
        let last = buffer.count - marker.count
        while index <= last {
            if buffer[index] == first && buffer[index..<(index + marker.count)].elementsEqual(marker) {
                return index + marker.count
            }
            index += 1
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    static let crlf: [UInt8] = [13, 10]
    static let headEnd: [UInt8] = [13, 10, 13, 10]
}

extension RawSocket {
    /// Reads until the server closes or resets; the bytes and whether it was a reset.
    func readUntilEnd(limit: Int = 16 << 20) throws -> (bytes: [UInt8], reset: Bool) {
        var all: [UInt8] = []
        do {
            all = try readToEnd(limit: limit)
            return (all, false)
        } catch let error as SocketError where error.kind == .reset {
            return (try read(exactly: buffered), true)
        }
    }
}
