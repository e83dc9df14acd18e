/// Listening beyond loopback while a default password (admin/admin, guest/guest) is in force:
/// what `decoy serve`, `decoy run` and `decoy check` refuse, in one wording.
public enum ExposedDefaults {
    /// Where the user changes the passwords.
    public enum Fix: Sendable {
        /// `decoy serve` and `decoy check`, which take `--allow-default-credentials`.
        case configFile
        /// `decoy run`.
        case scenario
    }

    /// Why `config` must not be served as it is; nil when it may.
    public static func refusal(_ config: DecoyConfig, fix: Fix) -> String? {
        let defaults = config.usersWithDefaultPasswords
        guard !config.server.listen.isLoopback, !defaults.isEmpty else { return nil }
        let remedy =
            switch fix {
            case .configFile:
                "Set other passwords under 'users:' in a --config file (see Fixtures/decoy.example.yaml), listen "
                    + "on 127.0.0.1, or pass --allow-default-credentials if this network is yours alone"
            case .scenario: "Set other passwords under 'config: users:' in the scenario, or listen on 127.0.0.1"
            }
        return "refusing to listen on \(config.server.listen): the default password is still set for "
            + "\(defaults.joined(separator: ", ")), and anyone on the network could use it. \(remedy)"
    }
}
