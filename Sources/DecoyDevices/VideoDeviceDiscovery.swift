import CV4L2
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Lists V4L2 video capture devices through libv4l2: every `/dev/video*` node is opened, asked what it
/// is (`VIDIOC_QUERYCAP`), and capture nodes are asked for their formats, sizes and frame intervals
/// (`VIDIOC_ENUM_FMT`, `ENUM_FRAMESIZES`, `ENUM_FRAMEINTERVALS`). Opening through libv4l2 also lists the
/// formats it would convert to (marked `emulated`), which is what a source opened the same way gets.
enum VideoDeviceDiscovery {
    /// Enumerations stop here whatever a driver claims, so a broken driver cannot loop us for ever.
    static let enumerationLimit: UInt32 = 512

    static func discover(folder: String = "/dev") -> (devices: [VideoCaptureDevice], problems: [String]) {
        var devices: [VideoCaptureDevice] = []
        var problems: [String] = []
        for path in nodes(in: folder) {
            switch inspect(path) {
            case .capture(let device): devices.append(device)
            case .other: break
            case .failed(let problem): problems.append(problem)
            }
        }
        return (devices, problems)
    }

    /// `/dev/video0`, `/dev/video1`, … in numeric order.
    static func nodes(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let numbered = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("video"), let number = Int(name.dropFirst(5)) else { return nil }
            return (number, name)
        }
        return numbered.sorted { $0.0 < $1.0 }.map { folder + "/" + $0.1 }
    }

    enum Inspection {
        case capture(VideoCaptureDevice)
        case other
        case failed(String)
    }

    static func inspect(_ path: String) -> Inspection {
        let fd = cv4l2_open(path, O_RDWR | O_NONBLOCK)
        let openError = errno
        guard fd >= 0 else {
            let reason = String(cString: strerror(openError))
            if openError == EACCES || openError == EPERM {
                return .failed(
                    "\(path): \(reason): add yourself to the group that owns it (usually video: "
                        + "sudo usermod -aG video $USER, then log in again)")
            }
            if openError == EBUSY { return .failed("\(path): \(reason): another program holds it") }
            return .failed("\(path): cannot open: \(reason)")
        }
        defer { _ = cv4l2_close(fd) }
        var capability = v4l2_capability()
        guard cv4l2_ioctl(fd, CV4L2_VIDIOC_QUERYCAP, &capability) == 0 else {
            return .failed("\(path): not a V4L2 device (VIDIOC_QUERYCAP: \(String(cString: strerror(errno))))")
        }
        let caps =
            capability.capabilities & CV4L2_CAP_DEVICE_CAPS != 0 ? capability.device_caps : capability.capabilities
        let type: UInt32
        if caps & CV4L2_CAP_VIDEO_CAPTURE != 0 {
            type = CV4L2_BUF_TYPE_VIDEO_CAPTURE
        } else if caps & CV4L2_CAP_VIDEO_CAPTURE_MPLANE != 0 {
            type = CV4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE
        } else {
            return .other
        }
        return .capture(
            VideoCaptureDevice(
                path: path, name: cString(capability.card), driver: cString(capability.driver),
                busInfo: cString(capability.bus_info), formats: formats(fd, type: type)))
    }

    static func formats(_ fd: Int32, type: UInt32) -> [DevicePixelFormat] {
        var formats: [DevicePixelFormat] = []
        for index in 0..<enumerationLimit {
            var description = v4l2_fmtdesc()
            description.index = index
            description.type = type
            guard cv4l2_ioctl(fd, CV4L2_VIDIOC_ENUM_FMT, &description) == 0 else { break }
            let (sizes, range) = frameSizes(fd, pixelFormat: description.pixelformat)
            formats.append(
                DevicePixelFormat(
                    fourcc: fourcc(description.pixelformat), description: cString(description.description),
                    compressed: description.flags & CV4L2_FMT_FLAG_COMPRESSED != 0,
                    emulated: description.flags & CV4L2_FMT_FLAG_EMULATED != 0, sizes: sizes, sizeRange: range))
        }
        return formats
    }

    static func frameSizes(_ fd: Int32, pixelFormat: UInt32) -> ([FrameSize], FrameSizeRange?) {
        var sizes: [FrameSize] = []
        for index in 0..<enumerationLimit {
            var size = v4l2_frmsizeenum()
            size.index = index
            size.pixel_format = pixelFormat
            guard cv4l2_ioctl(fd, CV4L2_VIDIOC_ENUM_FRAMESIZES, &size) == 0 else { break }
            if size.type != CV4L2_FRMSIZE_TYPE_DISCRETE {
                let step = size.stepwise
                let range = FrameSizeRange(
                    minWidth: Int(step.min_width), maxWidth: Int(step.max_width), stepWidth: Int(step.step_width),
                    minHeight: Int(step.min_height), maxHeight: Int(step.max_height),
                    stepHeight: Int(step.step_height))
                return (sizes, range)
            }
            let (width, height) = (size.discrete.width, size.discrete.height)
            sizes.append(
                FrameSize(
                    width: Int(width), height: Int(height),
                    fps: frameRates(fd, pixelFormat: pixelFormat, width: width, height: height)))
        }
        return (sizes, nil)
    }

    /// Frames per second, fastest first.
    static func frameRates(_ fd: Int32, pixelFormat: UInt32, width: UInt32, height: UInt32) -> [Double] {
        var rates: [Double] = []
        for index in 0..<enumerationLimit {
            var interval = v4l2_frmivalenum()
            interval.index = index
            interval.pixel_format = pixelFormat
            interval.width = width
            interval.height = height
            guard cv4l2_ioctl(fd, CV4L2_VIDIOC_ENUM_FRAMEINTERVALS, &interval) == 0 else { break }
            if interval.type == CV4L2_FRMIVAL_TYPE_DISCRETE {
                rates.append(fps(interval.discrete))
            } else {
                rates += [fps(interval.stepwise.min), fps(interval.stepwise.max)]
                break
            }
        }
        return rates.filter { $0 > 0 }.sorted(by: >)
    }

    static func fps(_ fraction: v4l2_fract) -> Double {
        guard fraction.numerator > 0 else { return 0 }
        let value = Double(fraction.denominator) / Double(fraction.numerator)
        return (value * 100).rounded() / 100
    }

    /// `YUYV`; a big-endian variant (bit 31 set, `v4l2_fourcc_be`) gets `-BE`, e.g. `Y16 -BE` → `Y16-BE`;
    /// bytes that are not printable ASCII show as `?`.
    static func fourcc(_ code: UInt32) -> String {
        let bytes = (0..<4).map { UInt8((code & 0x7FFF_FFFF) >> (8 * $0) & 0xFF) }
        let text = String(bytes.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : "?" })
        return text.trimmingCharacters(in: .whitespaces) + (code & 0x8000_0000 != 0 ? "-BE" : "")
    }

    /// A fixed-size C char array (imported as a tuple) as a string, up to its NUL.
    static func cString<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { bytes in
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
    }
}
