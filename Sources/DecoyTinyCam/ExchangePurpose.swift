/// What an exchange does, as far as the fault layer cares: login faults (`failLogins`, lockouts)
/// hit logins, `rejectStreamToken` hits live streams. The API owns its paths and says which is
/// which (`TinyCamAPI.purpose(ofPath:)`), so nothing else spells them.
public enum ExchangePurpose: Sendable, Equatable {
    case login, liveStream, other
}
