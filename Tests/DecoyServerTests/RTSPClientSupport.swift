import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

/// What the RTSP client tests share: the URLs clients are given, and reading back the pictures
/// they decoded.
enum RTSPClientSupport {
    /// The URL ha-tinycam hands Home Assistant as a camera's `stream_source` (`api.py`
    /// `rtsp_stream_url`): credentials in the userinfo, the tinyCam camera id in the query.
    static func tinyCamURL(port: Int, credentials: String = "admin:admin", cameraID: Int = 1001) -> String {
        "rtsp://\(credentials)@127.0.0.1:\(port)/axis-media/media.amp?cameraId=\(cameraID)"
    }

    /// An Axis camera's URL, with its query parameters (`camera=1&videocodec=h264…`).
    static func axisURL(port: Int, credentials: String = "admin:admin", query: String) -> String {
        "rtsp://\(credentials)@127.0.0.1:\(port)/axis-media/media.amp?\(query)"
    }

    /// The frame ids drawn in decoded pictures stored back to back in `path`, each `frameBytes`
    /// long and starting with its `size` luma plane (8-bit grey, rows without padding: a raw I420
    /// frame, or a bare grey plane). Throws when the file is not a whole number of frames or a
    /// picture has no readable id.
    static func frameIDs(inFile path: String, size: PixelSize, frameBytes: Int) throws -> [UInt32] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count % frameBytes == 0 else {
            throw TestFailure(description: "\(bytes.count) bytes is not a whole number of \(frameBytes)-byte frames")
        }
        return try stride(from: 0, to: bytes.count, by: frameBytes).map { start in
            let luma = GrayImage(size: size, pixels: Array(bytes[start..<(start + size.area)]))
            guard let id = FrameID.decode(luma) else {
                throw TestFailure(description: "no readable frame id in picture \(start / frameBytes)")
            }
            return id
        }
    }

    /// The lines of a client's output that report a warning or an error.
    static func complaints(_ output: String) -> [Substring] {
        output.split(whereSeparator: \.isNewline).filter {
            $0.localizedCaseInsensitiveContains("warning") || $0.localizedCaseInsensitiveContains("error")
        }
    }

    /// The access log shows the client's DESCRIBE requests all refused with 401, and no PLAY.
    static func expectRefusedWith401(_ server: TestServer) {
        let access = server.runtime.services.logs.access.text
        let describes = access.split(whereSeparator: \.isNewline).filter { $0.contains("\"DESCRIBE ") }
        #expect(!describes.isEmpty, "\(access)")
        #expect(describes.allSatisfy { $0.contains("\" 401 ") }, "\(access)")
        #expect(!access.contains("\"PLAY "), "nothing played: \(access)")
    }
}
