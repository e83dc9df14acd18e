/// How far the reader got through a request head that has not ended yet, so each byte is looked
/// at once however many reads the head takes to arrive.
///
/// Offsets count from the head's first byte. Limits are checked as bytes arrive: a request line
/// with a control byte fails at that byte, one over the length limit fails at the first byte past
/// it, without waiting for a line end that may never come.
struct HeadScan: Sendable {
    enum Outcome {
        case needMore
        /// The head ends (blank line included) after `length` bytes.
        case complete(length: Int)
        case failed(RTSPReadError)
    }

    /// Each completed line (request line first), line end excluded.
    private(set) var lines: [Range<Int>] = []
    private var scanned = 0
    private var lineStart = 0
    /// Where the header section starts: just after the request line's line end.
    private var headerStart = 0
    private var fields = 0

    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D

    mutating func advance(over bytes: UnsafeRawBufferPointer, limits: RTSPReadLimits) -> Outcome {
        while scanned < bytes.count {
            let index = scanned
            let byte = bytes[index]
            scanned += 1
            if !lines.isEmpty, scanned - headerStart > limits.headerBytes {
                return .failed(headersTooLarge(bytes, limits: limits))
            }
            if byte == Self.lf {
                var end = index
                if end > lineStart, bytes[end - 1] == Self.cr { end -= 1 }
                if let outcome = lineEnded(lineStart..<end, next: scanned, bytes: bytes, limits: limits) {
                    return outcome
                }
                lineStart = scanned
            } else if lines.isEmpty, let error = checkRequestLine(byte: byte, at: index, limits: limits) {
                return .failed(error)
            }
        }
        return .needMore
    }

    private mutating func lineEnded(
        _ line: Range<Int>, next: Int, bytes: UnsafeRawBufferPointer, limits: RTSPReadLimits
    ) -> Outcome? {
        if lines.isEmpty {
            lines.append(line)
            headerStart = next
            return nil
        }
        if line.isEmpty { return .complete(length: next) }
        let first = bytes[line.lowerBound]
        if first != 0x20, first != 0x09 {
            fields += 1
            if fields > limits.headerFields {
                return .failed(
                    RTSPReadError(
                        .tooManyHeaderFields, "The request has more than \(limits.headerFields) header fields.",
                        cseq: cseq(bytes)))
            }
        }
        lines.append(line)
        return nil
    }

    /// A request line byte that is neither printable ASCII nor a line end fails at once (binary
    /// garbage is answered 400 on its first bad byte); one past the length limit fails with 414.
    private func checkRequestLine(byte: UInt8, at index: Int, limits: RTSPReadLimits) -> RTSPReadError? {
        let length = index - lineStart + 1
        if byte == Self.cr {
            // Allowed as the line end's first half: the line then has length - 1 bytes.
            return length - 1 > limits.requestLineBytes ? requestLineTooLong(limits) : nil
        }
        guard (0x20..<0x7F).contains(byte) else {
            return RTSPReadError(.malformedRequestLine, "The request line holds a control or non-ASCII byte.")
        }
        return length > limits.requestLineBytes ? requestLineTooLong(limits) : nil
    }

    private func requestLineTooLong(_ limits: RTSPReadLimits) -> RTSPReadError {
        RTSPReadError(.requestLineTooLong, "The request line is longer than \(limits.requestLineBytes) bytes.")
    }

    private func headersTooLarge(_ bytes: UnsafeRawBufferPointer, limits: RTSPReadLimits) -> RTSPReadError {
        RTSPReadError(
            .headersTooLarge, "The header section is longer than \(limits.headerBytes) bytes.", cseq: cseq(bytes))
    }

    /// The `CSeq` among the header lines completed so far.
    private func cseq(_ bytes: UnsafeRawBufferPointer) -> String? {
        RTSPHeadParser.cseq(in: lines.dropFirst().map { ArraySlice(bytes[$0]) })
    }
}
