import DecoyCore

/// What the client command finds in its environment to reach Decoy, so a CI script needs no
/// configuration of its own.
public enum ClientEnvironment {
    /// `DECOY_URL` (no trailing slash), the first admin and guest user with their passwords,
    /// `DECOY_CAMERA_IDS` in `get_cam_list` order, and `DECOY_CONTROL_URL` (no trailing slash)
    /// when the control API listens, so a client test can inject faults and read the journal.
    public static func variables(config: DecoyConfig, url: String, controlURL: String? = nil) -> [String: String] {
        var variables = [
            "DECOY_URL": url,
            "DECOY_CAMERA_IDS": config.cameras.map { String($0.id) }.joined(separator: ","),
        ]
        if let controlURL { variables["DECOY_CONTROL_URL"] = controlURL }
        if let admin = config.users.first(where: { $0.role == .admin }) {
            variables["DECOY_ADMIN_USER"] = admin.name
            variables["DECOY_ADMIN_PASSWORD"] = admin.password
        }
        if let guest = config.users.first(where: { $0.role == .guest }) {
            variables["DECOY_GUEST_USER"] = guest.name
            variables["DECOY_GUEST_PASSWORD"] = guest.password
        }
        return variables
    }

    /// The URL a client on this machine uses: a wildcard listen address is reached over loopback.
    public static func url(listen: ListenAddress, port: Int, https: Bool) -> String {
        var host = listen.host
        if host == "0.0.0.0" || host.isEmpty { host = "127.0.0.1" }
        if host == "::" { host = "::1" }
        if host.contains(":") { host = "[\(host)]" }
        return "\(https ? "https" : "http")://\(host):\(port)"
    }
}
