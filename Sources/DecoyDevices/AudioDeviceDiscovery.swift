import CALSA
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Lists ALSA capture devices: every card (`snd_card_next`), its control interface's card info and
/// PCM devices (`snd_ctl_pcm_next_device`), keeping the devices that can capture (`snd_ctl_pcm_info`
/// with the capture stream); and the capture PCM names ALSA's configuration defines
/// (`snd_device_name_hint`). Nothing is opened for capture.
enum AudioDeviceDiscovery {
    /// Cards and devices stop here whatever ALSA claims, so the loops are bounded.
    static let limit = 256

    static func discover(
        soundFolder: String = "/dev/snd"
    ) -> (
        devices: [AudioCaptureDevice], names: [AudioPCMName], problems: [String]
    ) {
        var devices: [AudioCaptureDevice] = []
        var problems = unreadableControls(in: soundFolder)
        var card: Int32 = -1
        for _ in 0..<limit {
            guard snd_card_next(&card) >= 0, card >= 0 else { break }
            switch captureDevices(card: card) {
            case .success(let found): devices += found
            case .failure(let problem): problems.append(problem.description)
            }
        }
        return (devices, captureNames(), problems)
    }

    /// Control nodes this user may not open: ALSA skips such cards silently, so say it here.
    static func unreadableControls(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("controlC") }.sorted().compactMap { name in
            let path = folder + "/" + name
            guard access(path, R_OK | W_OK) != 0 else { return nil }
            return "\(path): permission denied: add yourself to the group that owns it (usually audio: "
                + "sudo usermod -aG audio $USER, then log in again)"
        }
    }

    static func captureDevices(card: Int32) -> Result<[AudioCaptureDevice], AlsaError> {
        var control: OpaquePointer?
        let opened = snd_ctl_open(&control, "hw:\(card)", 0)
        guard opened >= 0, let control else { return .failure(AlsaError("cannot open card \(card)", opened)) }
        defer { snd_ctl_close(control) }
        var cardInfo: OpaquePointer?
        guard snd_ctl_card_info_malloc(&cardInfo) >= 0, let cardInfo else { return .success([]) }
        defer { snd_ctl_card_info_free(cardInfo) }
        let read = snd_ctl_card_info(control, cardInfo)
        guard read >= 0 else { return .failure(AlsaError("cannot read card \(card)'s info", read)) }
        let cardID = String(cString: snd_ctl_card_info_get_id(cardInfo))
        let cardName = String(cString: snd_ctl_card_info_get_name(cardInfo))

        var pcmInfo: OpaquePointer?
        guard snd_pcm_info_malloc(&pcmInfo) >= 0, let pcmInfo else { return .success([]) }
        defer { snd_pcm_info_free(pcmInfo) }
        var devices: [AudioCaptureDevice] = []
        var device: Int32 = -1
        for _ in 0..<limit {
            guard snd_ctl_pcm_next_device(control, &device) >= 0, device >= 0 else { break }
            snd_pcm_info_set_device(pcmInfo, UInt32(device))
            snd_pcm_info_set_subdevice(pcmInfo, 0)
            snd_pcm_info_set_stream(pcmInfo, SND_PCM_STREAM_CAPTURE)
            guard snd_ctl_pcm_info(control, pcmInfo) >= 0 else { continue }  // playback only
            devices.append(
                AudioCaptureDevice(
                    card: Int(card), cardID: cardID, cardName: cardName, device: Int(device),
                    name: String(cString: snd_pcm_info_get_name(pcmInfo)),
                    subdevices: Int(snd_pcm_info_get_subdevices_count(pcmInfo)),
                    alsaName: "hw:CARD=\(cardID),DEV=\(device)"))
        }
        return .success(devices)
    }

    /// The configured PCM names that can capture (no IOID, or IOID "Input"), without `null`.
    static func captureNames() -> [AudioPCMName] {
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard snd_device_name_hint(-1, "pcm", &hints) >= 0, let hints else { return [] }
        defer { snd_device_name_free_hint(hints) }
        var names: [AudioPCMName] = []
        for index in 0..<(limit * 4) {
            guard let hint = hints[index] else { break }
            guard let name = value(hint, "NAME"), name != "null" else { continue }
            let direction = value(hint, "IOID")
            guard direction == nil || direction == "Input" else { continue }
            let description = (value(hint, "DESC") ?? "").split(whereSeparator: \.isNewline).joined(separator: ", ")
            names.append(AudioPCMName(name: name, description: description))
        }
        return names
    }

    private static func value(_ hint: UnsafeMutableRawPointer, _ key: String) -> String? {
        guard let text = snd_device_name_get_hint(hint, key) else { return nil }
        defer { free(text) }
        return String(cString: text)
    }
}
