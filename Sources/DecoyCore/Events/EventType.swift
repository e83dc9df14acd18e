/// What a camera event is about: the values of `get_cam_event_list`'s `motion` field and `filter`
/// parameter, and the last word of a recording's file name (docs/contract.md).
public enum EventType: String, Sendable, CaseIterable, Hashable {
    case motion, person, vehicle, pet, face, audio

    /// How specific the type is: when several events overlap in one recording, the clip is named
    /// after the most specific (a person seen during plain motion makes a `person` clip).
    public var specificity: Int {
        switch self {
        case .motion: 0
        case .audio: 1
        case .pet: 2
        case .vehicle: 3
        case .person: 4
        case .face: 5
        }
    }
}
