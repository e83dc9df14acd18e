import DecoyTinyCam
import Glibc
import NIOCore
import NIOHTTP1
import NIOPosix

/// Streams one `FileBody` to a connection: the file is opened and read on the server's file
/// thread pool (never on the event loop), one chunk at a time, and the next chunk is read only
/// when the previous one has been written. A slow client therefore costs about one chunk of
/// memory however large the file; a client that vanishes fails the pending write, which ends the
/// read and closes the file; one that stops reading altogether is closed after `stallLimit`.
///
/// Lives on its channel's event loop; never shared.
final class FileBodyWriter {
    /// Bytes per read and write: large enough for throughput, small enough to bound memory.
    static let chunkSize = 64 * 1024
    /// A client that has not taken a single chunk for this long is closed (as MJPEG viewers are).
    static let stallLimit = MJPEGViewer.stallLimit

    private let context: ChannelHandlerContext
    private let body: FileBody
    private let threadPool: NIOThreadPool
    private var sent: Int64 = 0
    private var stallTimer: Scheduled<Void>?

    init(context: ChannelHandlerContext, body: FileBody, threadPool: NIOThreadPool) {
        self.context = context
        self.body = body
        self.threadPool = threadPool
    }

    /// Opens the file. `opened` runs on the loop with the outcome, before any body byte is
    /// written: on success the caller writes the head and returns true, and the stream follows,
    /// then `finished` reports whether every byte went out (a file that shrank meanwhile, a failed
    /// read or write is `false`: the connection must close, as its `Content-Length` was promised).
    /// When `opened` returns false (the client went away during the open) the file is closed
    /// unread and `finished` is not called.
    func start(opened: @escaping (Result<Void, any Error>) -> Bool, finished: @escaping (Bool) -> Void) {
        let body = self.body
        let open = threadPool.runIfActive(eventLoop: context.eventLoop) { try Self.open(body) }
        open.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let handle):
                guard opened(.success(())) else {
                    try? handle.close()
                    return
                }
                self.stream(handle, finished: finished)
            case .failure(let error):
                _ = opened(.failure(error))
            }
        }
    }

    /// Opens `body.path` read-only and checks it is still a regular file holding the range.
    /// `O_NONBLOCK` keeps a FIFO swapped in since the `stat` from blocking the open.
    private static func open(_ body: FileBody) throws -> NIOFileHandle {
        let handle = try NIOFileHandle(
            _deprecatedPath: body.path, mode: .read, flags: .posix(flags: O_NONBLOCK, mode: 0))
        do {
            try handle.withUnsafeFileDescriptor { descriptor in
                var info = stat()
                guard fstat(descriptor, &info) == 0 else { throw IOError(errnoCode: errno, reason: "fstat") }
                guard (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) >= body.offset + body.length else {
                    throw FileChanged(path: body.path)
                }
            }
            return handle
        } catch {
            try? handle.close()
            throw error
        }
    }

    private func stream(_ handle: NIOFileHandle, finished: @escaping (Bool) -> Void) {
        let fileIO = NonBlockingFileIO(threadPool: threadPool)
        let writer = NIOLoopBound(self, eventLoop: context.eventLoop)
        let reading = fileIO.readChunked(
            fileHandle: handle, fromOffset: body.offset, byteCount: Int(body.length), chunkSize: Self.chunkSize,
            allocator: context.channel.allocator, eventLoop: context.eventLoop
        ) { chunk in writer.value.send(chunk) }
        reading.assumeIsolated().whenComplete { result in
            self.stallTimer?.cancel()
            try? handle.close()
            switch result {
            case .success: finished(self.sent == self.body.length)
            case .failure: finished(false)
            }
        }
    }

    /// Writes one chunk; its future completes when the chunk has left Decoy's buffers, which is
    /// when `readChunked` reads the next one.
    private func send(_ chunk: ByteBuffer) -> EventLoopFuture<Void> {
        // `readChunked` ends with an empty chunk when the file ended early.
        guard chunk.readableBytes > 0 else { return context.eventLoop.makeSucceededVoidFuture() }
        sent += Int64(chunk.readableBytes)
        let context = self.context
        stallTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.stallLimit) {
            context.close(promise: nil)
        }
        let written = context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(chunk))))
        written.assumeIsolated().whenComplete { _ in self.stallTimer?.cancel() }
        return written
    }
}

/// The file is no longer the regular file of the answer's `stat` (replaced or truncated).
struct FileChanged: Error, CustomStringConvertible {
    let path: String
    var description: String { "\(path) changed between answering and sending it" }
}
