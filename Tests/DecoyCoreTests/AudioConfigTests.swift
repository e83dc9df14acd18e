import DecoyCore
import DecoyMedia
import Testing

/// The diagnostics for a one-camera file whose camera has `audio` lines (indented under it).
private func audioDiagnostics(_ audioLines: String) -> [ConfigDiagnostic] {
    let yaml = "cameras:\n  - name: A\n    id: 1\n    audio:\n" + audioLines
    do {
        let config = try ConfigLoader.parse(yaml, file: "audio.yaml")
        Issue.record("expected errors, but the file parsed: \(config.cameras[0].audio)")
        return []
    } catch let error as ConfigError {
        return error.diagnostics
    } catch {
        Issue.record("expected a ConfigError, got \(error)")
        return []
    }
}

@Suite("Audio configuration")
struct AudioConfigTests {
    @Test("a listening camera plays the marker at 8000 Hz unless told otherwise")
    func defaults() throws {
        let config = try ConfigLoader.parse("cameras:\n  - name: A\n    id: 1\n", file: "a.yaml")
        #expect(config.cameras[0].audio == AudioConfig(source: .marker, rate: 8000))
        #expect(config.cameras[0].audio.signal(seed: 1) is MarkerSignal)
        #expect(DecoyConfig.embeddedDefault.cameras.allSatisfy { $0.audio.source == .marker && $0.audio.rate == 8000 })
    }

    @Test("every key is read")
    func keys() throws {
        let yaml = """
            cameras:
              - name: A
                id: 1
                audio: { source: tone, rate: 16000, frequency: 1000, level: -6.5 }
              - name: B
                id: 2
                audio:
                  source: alsa
                  device: plughw:1,0
                  channels: 2
                  rate: 48000
            """
        let cameras = try ConfigLoader.parse(yaml, file: "a.yaml").cameras
        var tone = AudioConfig(source: .tone, rate: 16000)
        tone.frequency = 1000
        tone.levelDBFS = -6.5
        #expect(cameras[0].audio == tone)
        var alsa = AudioConfig(source: .alsa, rate: 48000)
        alsa.device = "plughw:1,0"
        alsa.channels = 2
        #expect(cameras[1].audio == alsa)
        #expect(cameras[1].audio.signal(seed: 1) == nil)
    }

    @Test(
        "bad values are reported with their position and what is allowed",
        arguments: [
            ("      source: flute\n", "must be one of marker, tone, noise, silence, alsa"),
            ("      rate: 11025\n", "must be one of 8000, 16000, 22050, 44100, 48000"),
            ("      frequency: 4000\n", "below half the rate"),
            ("      level: 3\n", "from -96.0 to 0.0"),
            ("      source: alsa\n", "needs a 'device'"),
            ("      device: hw:1,0\n", "only used with 'source: alsa'"),
            ("      source: alsa\n      device: hw:1\n      channels: 9\n", "from 1 to 8"),
            ("      sourse: tone\n", "did you mean 'source'?"),
        ])
    func badValues(lines: String, message: String) {
        let found = audioDiagnostics(lines)
        #expect(found.count == 1)
        #expect(found.first?.message.contains(message) == true, "\(found)")
        #expect(found.first.map { $0.file == "audio.yaml" && $0.line >= 5 && $0.column >= 7 } == true, "\(found)")
    }
}
