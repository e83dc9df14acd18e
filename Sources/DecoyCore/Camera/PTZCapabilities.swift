/// The `ptzCapabilities` bitmask of `get_cam_list`, as Decoy reads it.
///
/// Known from the official web UI: `0x2` relative pan/tilt, `0x10` presets, `0x8000` LED on,
/// `0x10000` LED off, `0x20000` LED auto. The other bits are not public; Decoy's reading of the
/// low bits is listed below and in docs/endpoints.md, chosen so the API document's sample value 230911
/// (`0x385FF`) enables everything and 32768 (`0x8000`) enables only "LED on".
public struct PTZCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `continuouspantiltmove` (Decoy's reading of bit 0).
    public static let continuousPanTilt = PTZCapabilities(rawValue: 0x1)
    /// Relative pan/tilt moves (known).
    public static let relativePanTilt = PTZCapabilities(rawValue: 0x2)
    /// `continuouszoommove` (Decoy's reading of bit 2).
    public static let continuousZoom = PTZCapabilities(rawValue: 0x4)
    /// `move=home` (Decoy's reading of bit 3).
    public static let home = PTZCapabilities(rawValue: 0x8)
    /// `gotoserverpresetno` / `setserverpresetno` (known).
    public static let presets = PTZCapabilities(rawValue: 0x10)
    /// `continuousfocusmove` (Decoy's reading of bit 5).
    public static let continuousFocus = PTZCapabilities(rawValue: 0x20)
    /// `continuousirismove` (Decoy's reading of bit 6).
    public static let continuousIris = PTZCapabilities(rawValue: 0x40)
    /// `lightcontrol.cgi?action=L1:-100` (known).
    public static let ledOn = PTZCapabilities(rawValue: 0x8000)
    /// `lightcontrol.cgi?action=L1:-0` (known).
    public static let ledOff = PTZCapabilities(rawValue: 0x10000)
    /// `lightcontrol.cgi?action=L1:-50` (known).
    public static let ledAuto = PTZCapabilities(rawValue: 0x20000)
}
