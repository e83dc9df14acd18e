import DecoyMedia

/// Gives a device camera the PTZ and LED of a synthetic one: wraps its source and, while the
/// viewport is zoomed in or the LED is on, crops and scales the captured frame (`DigitalPTZ`) and
/// draws the LED indicator. Otherwise frames pass through untouched, JPEGs included, so an MJPEG
/// webcam at home position costs no decode.
final class DigitalPTZSource: VideoSource {
    private let inner: any VideoSource
    private let scene: @Sendable (UInt64, Int64) -> SceneState
    private var decoder: JPEGDecoder?

    init(_ inner: any VideoSource, scene: @escaping @Sendable (UInt64, Int64) -> SceneState) {
        self.inner = inner
        self.scene = scene
    }

    var nativeSize: PixelSize { inner.nativeSize }
    var framesPerSecond: Int { inner.framesPerSecond }
    var health: VideoSourceHealth { inner.health }
    func start() throws { try inner.start() }
    func stop() { inner.stop() }

    func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image? {
        guard let next = try nextFrame(number: number, timeMilliseconds: timeMilliseconds) else { return nil }
        return try pixels(of: next)
    }

    func nextFrame(number: UInt64, timeMilliseconds: Int64) throws -> SourceFrame? {
        guard let captured = try inner.nextFrame(number: number, timeMilliseconds: timeMilliseconds) else {
            return nil
        }
        let state = scene(number, timeMilliseconds)
        guard !DigitalPTZ.isIdentity(state.viewport) || state.led != .off else { return captured }
        var image = DigitalPTZ.view(try pixels(of: captured), through: state.viewport)
        DigitalPTZ.drawLED(state.led, into: &image)
        return .pixels(image)
    }

    private func pixels(of frame: SourceFrame) throws -> I420Image {
        switch frame {
        case .pixels(let image):
            return image
        case .jpeg(let bytes, _):
            let decoder = try self.decoder ?? JPEGDecoder()
            self.decoder = decoder
            return try decoder.decodeToI420(bytes)
        }
    }
}
