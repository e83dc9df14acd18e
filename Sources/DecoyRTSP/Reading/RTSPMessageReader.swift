import NIOCore

/// Reads requests and interleaved frames from the bytes of one RTSP connection, in order, however
/// the bytes are split (one at a time, several requests in one read).
///
/// A pure value: the socket layer appends what arrived, then takes events until `next()` returns
/// nil (more bytes needed). Memory stays bounded by `RTSPReadLimits` plus the latest append: a
/// head is measured while it arrives (a request line or header section over its limit fails at
/// once rather than after it ends), a body is held only up to its limit, and each byte is scanned
/// once, so a client sending a byte at a time costs linear time. After a failure the reader
/// drops everything: framing is lost and the connection is to be closed after the answer.
public struct RTSPMessageReader: Sendable {
    public let limits: RTSPReadLimits
    private var buffer: ByteBuffer
    private var phase: Phase = .between

    private enum Phase: Sendable {
        /// Between messages: skipping blank lines, deciding between a request and a `$` frame.
        case between
        /// Inside a request head, scanned up to some point.
        case head(HeadScan)
        /// The head was read; waiting for `length` body bytes.
        case body(RTSPHeadParser.Head, length: Int)
        /// A read error was reported; nothing more is read.
        case failed
    }

    public init(limits: RTSPReadLimits = .standard, allocator: ByteBufferAllocator = ByteBufferAllocator()) {
        self.limits = limits
        self.buffer = allocator.buffer(capacity: 0)
    }

    /// Bytes held and not yet returned as an event.
    public var bufferedByteCount: Int { buffer.readableBytes }

    /// True once a read error was returned (the reader then ignores everything).
    public var hasFailed: Bool {
        if case .failed = phase { return true }
        return false
    }

    /// Adds bytes that arrived; call `next()` until it returns nil afterwards.
    public mutating func append(_ bytes: ByteBuffer) {
        guard !hasFailed else { return }
        buffer.writeImmutableBuffer(bytes)
    }

    /// Adds bytes that arrived (tests, or bytes not in a `ByteBuffer`).
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        guard !hasFailed else { return }
        buffer.writeBytes(bytes)
    }

    /// The next request, frame or error; nil while more bytes are needed (or after an error).
    public mutating func next() -> RTSPReadEvent? {
        defer { compact() }
        while true {
            switch phase {
            case .failed:
                return nil
            case .between:
                skipBlankLines()
                guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
                if first == InterleavedFrame.magic {
                    return InterleavedFrame.read(from: &buffer).map(RTSPReadEvent.interleaved)
                }
                phase = .head(HeadScan())
            case .head(var scan):
                let outcome = buffer.withUnsafeReadableBytes { scan.advance(over: $0, limits: limits) }
                switch outcome {
                case .needMore:
                    phase = .head(scan)
                    return nil
                case .failed(let error):
                    return fail(error)
                case .complete(let length):
                    let head = buffer.readBytes(length: length)!
                    switch Self.parse(head, lines: scan.lines, limits: limits) {
                    case .failure(let error):
                        return fail(error)
                    case .success(let (parsed, 0)):
                        phase = .between
                        return .request(
                            RTSPRequest(method: parsed.method, target: parsed.target, headers: parsed.headers))
                    case .success(let (parsed, bodyLength)):
                        phase = .body(parsed, length: bodyLength)
                    }
                }
            case .body(let head, let length):
                guard let body = buffer.readBytes(length: length) else { return nil }
                phase = .between
                return .request(
                    RTSPRequest(method: head.method, target: head.target, headers: head.headers, body: body))
            }
        }
    }

    private static func parse(
        _ head: [UInt8], lines: [Range<Int>], limits: RTSPReadLimits
    ) -> Result<
        (RTSPHeadParser.Head, Int), RTSPReadError
    > {
        RTSPHeadParser.parse(lines.map { head[$0] }).flatMap { parsed in
            RTSPHeadParser.contentLength(parsed.headers, limit: limits.bodyBytes).map { (parsed, $0) }
        }
    }

    private mutating func fail(_ error: RTSPReadError) -> RTSPReadEvent {
        phase = .failed
        buffer.clear()
        return .failed(error)
    }

    /// Line ends between messages are tolerated (a client ending a body with CRLF, keep-alive CRLFs).
    private mutating func skipBlankLines() {
        while let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), byte == 0x0D || byte == 0x0A {
            buffer.moveReaderIndex(forwardBy: 1)
        }
    }

    /// Gives back the space of consumed bytes once it is worth a copy.
    private mutating func compact() {
        if buffer.readableBytes == 0 {
            buffer.clear()
        } else if buffer.readerIndex >= 16384 {
            buffer.discardReadBytes()
        }
    }
}
