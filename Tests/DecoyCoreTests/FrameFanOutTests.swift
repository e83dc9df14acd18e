import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import DecoyCore

private let size = PixelSize(width: 16, height: 16)
private let fine = FrameVariant(size: size, quality: 90)
private let coarse = FrameVariant(size: size, quality: 20)

/// A frame of `variant` numbered `sequence` (the bytes do not matter here).
private func frame(_ sequence: UInt64, _ variant: FrameVariant) -> EncodedFrame {
    [0xFF, 0xD8, 0xFF, 0xD9].withUnsafeBytes {
        EncodedFrame(
            sequence: sequence, timeMilliseconds: 0, framesPerSecond: 10, variant: variant, jpeg: $0,
            allocator: ByteBufferAllocator())
    }
}

/// Records the frames and offline signals it gets.
private final class Recorder: FrameSubscriber {
    private let box = NIOLockedValueBox((frames: [EncodedFrame](), offline: 0))
    func deliver(_ frame: EncodedFrame) { box.withLockedValue { $0.frames.append(frame) } }
    func cameraWentOffline() { box.withLockedValue { $0.offline += 1 } }
    var frames: [EncodedFrame] { box.withLockedValue { $0.frames } }
    var offline: Int { box.withLockedValue { $0.offline } }
}

private final class Watcher: FrameObserver {
    let seen = NIOLockedValueBox([UInt64]())
    func observe(_ image: I420Image, sequence: UInt64, timeMilliseconds: Int64) {
        seen.withLockedValue { $0.append(sequence) }
    }
}

@Suite("FrameFanOut")
struct FrameFanOutTests {
    @Test("each variant's frame is made once and the same frame goes to all its subscribers")
    func oncePerVariant() {
        var fanOut = FrameFanOut()
        let (a, b, c) = (Recorder(), Recorder(), Recorder())
        fanOut.subscribe(a, variant: fine)
        fanOut.subscribe(b, variant: fine)
        fanOut.subscribe(c, variant: coarse)
        var made: [FrameVariant] = []
        fanOut.deliver(sequence: 1) { variant in
            made.append(variant)
            return frame(1, variant)
        }
        #expect(made.count == 2)
        #expect(Set(made) == [fine, coarse])
        #expect(a.frames.map(\.variant) == [fine])
        #expect(storageAddress(a.frames[0].part) == storageAddress(b.frames[0].part))
        #expect(c.frames.map(\.variant) == [coarse])
    }

    @Test("a frame is delivered once; a tick with nothing new delivers nothing")
    func deliveredOnce() {
        var fanOut = FrameFanOut()
        let viewer = Recorder()
        fanOut.subscribe(viewer, variant: fine)
        fanOut.deliver(sequence: 1) { frame(1, $0) }
        fanOut.deliver(sequence: 1) { frame(1, $0) }
        fanOut.deliver(sequence: 2) { frame(2, $0) }
        #expect(viewer.frames.map(\.sequence) == [1, 2])
    }

    @Test("an unsubscribed subscriber gets nothing more; without anyone the hub is not wanted")
    func unsubscribe() {
        var fanOut = FrameFanOut()
        let (a, b) = (Recorder(), Recorder())
        #expect(!fanOut.isWanted)
        fanOut.subscribe(a, variant: fine)
        fanOut.subscribe(b, variant: fine)
        fanOut.deliver(sequence: 1) { frame(1, $0) }
        fanOut.unsubscribe(a, variant: fine)
        fanOut.unsubscribe(a, variant: coarse)  // never subscribed there: nothing happens
        fanOut.deliver(sequence: 2) { frame(2, $0) }
        #expect(a.frames.map(\.sequence) == [1])
        #expect(b.frames.map(\.sequence) == [1, 2])
        #expect(fanOut.isWanted)
        fanOut.unsubscribe(b, variant: fine)
        #expect(!fanOut.isWanted)
        var asked = 0
        fanOut.deliver(sequence: 3) { variant in
            asked += 1
            return frame(3, variant)
        }
        #expect(asked == 0, "no variant is made for nobody")
    }

    @Test("observers want frames too, and pixels are made only when one is attached")
    func observers() throws {
        var fanOut = FrameFanOut()
        let watcher = Watcher()
        var made = 0
        let image = I420Image(size: size, fillY: 16, fillU: 128, fillV: 128)
        fanOut.observe(sequence: 1, timeMilliseconds: 0) {
            made += 1
            return image
        }
        #expect(made == 0)
        fanOut.addObserver(watcher)
        #expect(fanOut.isWanted)
        #expect(fanOut.hasObservers)
        fanOut.observe(sequence: 2, timeMilliseconds: 0) {
            made += 1
            return image
        }
        #expect(made == 1)
        #expect(watcher.seen.withLockedValue { $0 } == [2])
        fanOut.removeObserver(watcher)
        #expect(!fanOut.isWanted)
    }

    @Test("offline reaches every subscriber of every variant; removeAll forgets everyone")
    func offlineAndRemoveAll() {
        var fanOut = FrameFanOut()
        let (a, b) = (Recorder(), Recorder())
        fanOut.subscribe(a, variant: fine)
        fanOut.subscribe(b, variant: coarse)
        fanOut.addObserver(Watcher())
        fanOut.announceOffline()
        #expect(a.offline == 1 && b.offline == 1)
        fanOut.removeAll()
        #expect(!fanOut.isWanted)
        fanOut.announceOffline()
        #expect(a.offline == 1)
    }
}
