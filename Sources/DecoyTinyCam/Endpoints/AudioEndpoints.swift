import DecoyCore

/// `/axis-cgi/audio/receive.wav` (docs/contract.md): the camera's sound as an endless
/// RIFF/WAVE stream, PCM 16-bit mono at the camera's `audio.rate`, for the official web UI's
/// `<audio>` element and for players such as ffmpeg and SoX.
enum AudioEndpoints {
    static let all = [receive]

    static let receive = Endpoint("/axis-cgi/audio/receive.wav", access: .admin) { context in
        let camera = try CameraSelector.camera(from: context.query, in: context.services.cameras)
        guard let hub = camera.audio else {
            throw APIError.notFound("Camera '\(camera.config.name)' has no audio (audioListening is off).")
        }
        return TinyCamResponse(
            status: .ok,
            headers: [("Content-Type", "audio/wav"), ("Cache-Control", "no-cache"), ("Pragma", "no-cache")],
            body: .audio(AudioStreamRequest(camera: camera, hub: hub)))
    }
}
