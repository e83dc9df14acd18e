import DecoyCore
import DecoyMedia
import Foundation
import Logging

/// The body of a `V4L2VideoSource`'s capture thread: open, stream into the mailbox, and on any
/// failure close, show no signal and reopen with backoff, until capture is no longer wanted.
struct V4L2CaptureLoop: Sendable {
    let mailbox: V4L2Mailbox
    let cameraName: String
    let path: String
    let size: PixelSize
    let fps: Int
    let format: VideoCaptureFormat
    let logger: Logger

    /// Backoff between attempts to open a device that failed: doubles up to `maximumBackoff`.
    static let initialBackoff = 0.5
    static let maximumBackoff = 5.0
    /// A streaming device that delivers nothing for this long is treated as gone (closed and reopened).
    static let stallSeconds = 5.0
    /// How long one wait for a frame lasts, which bounds how late `stop` is noticed.
    static let pollMilliseconds: Int32 = 200

    func run() {
        var backoff = Self.initialBackoff
        var outage: String?  // set while the device is lost: logged once, and recovery is logged
        while !mailbox.threadShouldExit() {
            let session: V4L2Session
            do {
                session = try V4L2Session.open(path: path, size: size, fps: fps, format: format)
            } catch {
                if outage == nil {
                    outage = "\(error)"
                    let retry = "showing NO SIGNAL and retrying (every \(Self.maximumBackoff) s at most)"
                    logger.error(
                        "camera '\(cameraName)': cannot capture from \(path): \(error); \(retry)\(Self.advice(for: error))"
                    )
                }
                mailbox.setHealth(mailbox.counts.captured > 0 ? .reopening : .noSignal)
                sleep(backoff)
                backoff = min(Self.maximumBackoff, backoff * 2)
                continue
            }
            let negotiated = session.negotiated
            if negotiated.size != size, outage == nil {
                let scaled = "frames are scaled to \(size)"
                logger.notice(
                    "camera '\(cameraName)': \(path) gives \(negotiated.size), not the configured \(size); \(scaled)")
            }
            if outage == nil { mailbox.setHealth(.live) }
            // Recovery is announced with the first frame, not the open: a device that opens but sends
            // nothing (a loopback without its producer) stays in the same outage, logged once.
            let wasOut = outage != nil
            let lost = capture(session) {
                if wasOut {
                    logger.notice("camera '\(cameraName)': \(path) is back, capturing \(negotiated)")
                    mailbox.countReopen()
                } else {
                    logger.notice("camera '\(cameraName)': capturing \(negotiated) from \(path)")
                }
                outage = nil
                backoff = Self.initialBackoff
                mailbox.setHealth(.live)
            }
            session.close()
            guard let lost else { continue }
            if outage == nil {
                outage = lost
                logger.error("camera '\(cameraName)': lost \(path): \(lost); showing NO SIGNAL and reopening")
            }
            mailbox.setHealth(.reopening)
            sleep(backoff)
            backoff = min(Self.maximumBackoff, backoff * 2)
        }
    }

    /// Streams until capture is no longer wanted (nil) or the device fails (the reason); `firstFrame`
    /// runs when the first frame arrives.
    private func capture(_ session: V4L2Session, firstFrame: () -> Void) -> String? {
        var lastFrame = Date()
        var delivered = false
        var skipped: String?
        var reportedSkip = false
        while mailbox.isWanted {
            do {
                if let frame = try session.nextFrame(timeoutMilliseconds: Self.pollMilliseconds, skipped: &skipped) {
                    if !delivered {
                        delivered = true
                        firstFrame()
                    }
                    mailbox.put(frame)
                    lastFrame = Date()
                } else if let reason = skipped {
                    skipped = nil
                    mailbox.countSkipped()
                    if !reportedSkip {
                        reportedSkip = true
                        logger.warning("camera '\(cameraName)': skipped a frame from \(path): \(reason)")
                    }
                }
            } catch {
                return "\(error)"
            }
            if Date().timeIntervalSince(lastFrame) > Self.stallSeconds {
                return "no frame for \(Int(Self.stallSeconds)) s"
            }
        }
        return nil
    }

    /// Waits `seconds`, waking early when capture is no longer wanted.
    private func sleep(_ seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        while mailbox.isWanted, Date() < end { Thread.sleep(forTimeInterval: 0.05) }
    }

    private static func advice(for failure: V4L2Failure) -> String {
        switch failure.code {
        case EACCES, EPERM:
            "; add yourself to the group that owns it (usually video: sudo usermod -aG video $USER, then log in again)"
        case ENOENT: "; plug it in, or check the name with 'decoy devices'"
        case EBUSY: "; another program is capturing from it"
        default: ""
        }
    }
}
