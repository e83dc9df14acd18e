/// What capture hardware this machine has, as `decoy devices` shows it: the V4L2 video capture
/// devices with every format, size and frame rate they offer, and the ALSA PCM capture devices. A
/// value (Codable) so the command prints it as a table or JSON, and a camera config can be checked
/// against it.
public struct DeviceInventory: Sendable, Equatable, Codable {
    public var video: [VideoCaptureDevice]
    public var audio: [AudioCaptureDevice]
    /// ALSA's configured capture PCM names (`default`, `sysdefault:CARD=…`, `plughw:…`), which a camera's
    /// `audio.device` may also name.
    public var audioNames: [AudioPCMName]
    /// What could not be inspected and why (a node without permission, an ALSA card that would not open),
    /// so an empty list is never a silent mystery.
    public var problems: [String]

    public init(
        video: [VideoCaptureDevice] = [], audio: [AudioCaptureDevice] = [], audioNames: [AudioPCMName] = [],
        problems: [String] = []
    ) {
        self.video = video
        self.audio = audio
        self.audioNames = audioNames
        self.problems = problems
    }

    /// Inspects this machine's `/dev/video*` nodes and ALSA cards (opens each briefly, captures nothing).
    public static func discover() -> DeviceInventory {
        let video = VideoDeviceDiscovery.discover()
        let audio = AudioDeviceDiscovery.discover()
        return DeviceInventory(
            video: video.devices, audio: audio.devices, audioNames: audio.names,
            problems: video.problems + audio.problems)
    }
}

/// One V4L2 node that can capture video (`/dev/videoN`; metadata and output nodes are left out).
public struct VideoCaptureDevice: Sendable, Equatable, Codable {
    public var path: String
    /// The card name the driver reports (`VIDIOC_QUERYCAP`), e.g. "HD Pro Webcam C920" or "vivid".
    public var name: String
    public var driver: String
    public var busInfo: String
    public var formats: [DevicePixelFormat]

    public init(path: String, name: String, driver: String, busInfo: String, formats: [DevicePixelFormat]) {
        self.path = path
        self.name = name
        self.driver = driver
        self.busInfo = busInfo
        self.formats = formats
    }
}

/// A pixel format a capture device offers, with its sizes (not the camera's `VideoFormat`, which is
/// the size and rate Decoy serves).
public struct DevicePixelFormat: Sendable, Equatable, Codable {
    /// The four-character code, e.g. `MJPG`, `YUYV`.
    public var fourcc: String
    public var description: String
    /// The device sends compressed frames (MJPEG, H.264).
    public var compressed: Bool
    /// libv4l2 converts to this format in software; the device does not send it itself.
    public var emulated: Bool
    /// The discrete sizes, each with its frame rates.
    public var sizes: [FrameSize]
    /// Set instead of `sizes` when the device takes any size in a range (stepwise or continuous).
    public var sizeRange: FrameSizeRange?

    public init(
        fourcc: String, description: String, compressed: Bool, emulated: Bool, sizes: [FrameSize],
        sizeRange: FrameSizeRange? = nil
    ) {
        self.fourcc = fourcc
        self.description = description
        self.compressed = compressed
        self.emulated = emulated
        self.sizes = sizes
        self.sizeRange = sizeRange
    }
}

/// One capture size and the frame rates the device offers at it (frames per second; for a stepwise
/// interval range, its two ends).
public struct FrameSize: Sendable, Equatable, Codable {
    public var width: Int
    public var height: Int
    public var fps: [Double]

    public init(width: Int, height: Int, fps: [Double]) {
        self.width = width
        self.height = height
        self.fps = fps
    }
}

/// Sizes from minimum to maximum in steps.
public struct FrameSizeRange: Sendable, Equatable, Codable {
    public var minWidth: Int
    public var maxWidth: Int
    public var stepWidth: Int
    public var minHeight: Int
    public var maxHeight: Int
    public var stepHeight: Int

    public init(minWidth: Int, maxWidth: Int, stepWidth: Int, minHeight: Int, maxHeight: Int, stepHeight: Int) {
        self.minWidth = minWidth
        self.maxWidth = maxWidth
        self.stepWidth = stepWidth
        self.minHeight = minHeight
        self.maxHeight = maxHeight
        self.stepHeight = stepHeight
    }
}

/// One ALSA PCM device that can capture, on one card.
public struct AudioCaptureDevice: Sendable, Equatable, Codable {
    public var card: Int
    /// The card's id (`snd_ctl_card_info_get_id`), stable across reboots unlike its number: "Loopback", "C920".
    public var cardID: String
    public var cardName: String
    public var device: Int
    public var name: String
    public var subdevices: Int
    /// The name to put in a camera's `audio.device`: `hw:CARD=<id>,DEV=<device>` (raw, the device's own
    /// formats); `plughw:…` with the same suffix converts rate and channels.
    public var alsaName: String

    public init(
        card: Int, cardID: String, cardName: String, device: Int, name: String, subdevices: Int, alsaName: String
    ) {
        self.card = card
        self.cardID = cardID
        self.cardName = cardName
        self.device = device
        self.name = name
        self.subdevices = subdevices
        self.alsaName = alsaName
    }
}

/// A capture PCM name from ALSA's configuration (`snd_device_name_hint`).
public struct AudioPCMName: Sendable, Equatable, Codable {
    public var name: String
    public var description: String

    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }
}
