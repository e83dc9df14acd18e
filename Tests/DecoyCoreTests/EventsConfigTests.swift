import DecoyCore
import Testing

@Suite("Configuration of events and recordings")
struct EventsConfigTests {
    @Test("every event key is read")
    func keys() throws {
        let config = try ConfigLoader.parse(
            """
            cameras:
              - name: Porch
                id: 5
                activity: true
                cloudShare: 20
                motionDetection: { enabled: true, sensitivity: 70, minimumArea: 1.5, cooldown: 2 }
                recording: { enabled: true, preRoll: 1, postRoll: 2, maxDuration: 30, quality: 60 }
            storage: { recordings: /srv/clips, maxSize: 500MB, maxAge: 7 }
            events: { triggerDuration: 4 }
            """, file: "events.yaml")
        let camera = try #require(config.cameras.first)
        #expect(camera.activity && camera.cloudShare == 20)
        #expect(camera.motionDetection.enabled && camera.motionDetection.sensitivity == 70)
        #expect(camera.motionDetection.minimumAreaPercent == 1.5 && camera.motionDetection.cooldownSeconds == 2)
        #expect(camera.recording.enabled && camera.recording.preRollSeconds == 1)
        #expect(camera.recording.postRollSeconds == 2 && camera.recording.maxDurationSeconds == 30)
        #expect(camera.recording.quality == 60)
        #expect(config.storage.recordingsDirectory == "/srv/clips")
        #expect(config.storage.maxSizeBytes == 500 * 1024 * 1024 && config.storage.maxAgeDays == 7)
        #expect(config.events.triggerDurationSeconds == 4)
        let unlimited = try ConfigLoader.parse("storage: { maxSize: unlimited, maxAge: unlimited }\n", file: "u.yaml")
        #expect(unlimited.storage.maxSizeBytes == nil && unlimited.storage.maxAgeDays == nil)
        #expect(try ConfigLoader.parse("storage: { maxSize: 2G }\n", file: "g.yaml").storage.maxSizeBytes == 2 << 30)
    }

    @Test(
        "bad values name the key, the value and what is allowed",
        arguments: [
            (
                "cameras:\n  - { name: A, id: 1, recording: { preRoll: 99 } }\n",
                "'cameras[0].recording.preRoll (seconds)'"
            ),
            ("cameras:\n  - { name: A, id: 1, recording: { enable: true } }\n", "did you mean 'enabled'?"),
            ("cameras:\n  - { name: A, id: 1, motionDetection: { sensitivity: 0 } }\n", "from 1 to 100, got '0'"),
            ("cameras:\n  - { name: A, id: 1, cloudShare: 101 }\n", "'cameras[0].cloudShare'"),
            ("storage: { maxSize: lots }\n", "'storage.maxSize' must be bytes or a size such as 500MB"),
            ("storage: { maxAge: -1 }\n", "'storage.maxAge (days, or unlimited)'"),
            ("events: { triggerDuration: 0 }\n", "'events.triggerDuration'"),
            ("events: { duration: 3 }\n", "unknown key 'duration' under 'events'"),
            ("cameras:\n  - { name: 'Back\\\\yard', id: 1 }\n", "cannot name its recordings folder"),
            ("cameras:\n  - { name: .hidden, id: 1 }\n", "cannot name its recordings folder"),
        ])
    func errors(yaml: String, message: String) {
        do {
            _ = try ConfigLoader.parse(yaml, file: "bad.yaml")
            Issue.record("accepted: \(yaml)")
        } catch let error as ConfigError {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(error.description.hasPrefix("bad.yaml:"), "\(error.description)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
