import DecoyCore
import NIOCore

/// `/axis-cgi/usergroup.cgi` and `/axis-cgi/pwdgrp.cgi` (Axis profile): which groups a user is
/// in, so a client knows whether it may administer the camera. Decoy's `users:` map onto Axis's
/// groups: an admin is in `admin operator viewer ptz` (Decoy's PTZ needs an admin), a guest in
/// `viewer`. The users are the configuration's: `pwdgrp.cgi` lists them and changes none.
enum AxisUserEndpoints {
    static let all = [userGroup, passwordGroups]

    /// The caller's own groups: its name, then its groups on one line (what the `axis` library reads).
    static let userGroup = Endpoint("/axis-cgi/usergroup.cgi", access: .guest) { context in
        let user = context.principal.user
        let groups = groups(for: context.principal.role).joined(separator: " ")
        return plain("\(user)\n\(groups)\n")
    }

    /// `action=get`: every group with its members (`admin="a,b"`); other actions are refused.
    static let passwordGroups = Endpoint("/axis-cgi/pwdgrp.cgi", access: .admin) { context in
        guard context.query["action"] == "get" else {
            let action = context.query["action"] ?? ""
            return .failure(
                .badRequest,
                "pwdgrp.cgi action=\(action.isEmpty ? "(none)" : action) is not supported: Decoy's users come from "
                    + "its configuration (users:); action=get lists them.")
        }
        let users = context.services.config.users
        func members(_ group: String) -> String {
            users.filter { groups(for: $0.role).contains(group) }.map(\.name).joined(separator: ",")
        }
        let lines = ["admin", "anonymous", "operator", "ptz", "viewer"].map { "\($0)=\"\(members($0))\"" }
        let digest = "digusers=\"\(users.map(\.name).joined(separator: ","))\""
        return plain((lines + [digest]).joined(separator: "\n") + "\n")
    }

    static func groups(for role: Role) -> [String] {
        switch role {
        case .admin: ["admin", "operator", "viewer", "ptz"]
        case .guest: ["viewer"]
        }
    }

    private static func plain(_ text: String) -> TinyCamResponse {
        TinyCamResponse(
            status: .ok, headers: [("Content-Type", "text/plain"), ("Cache-Control", "no-cache")],
            body: .bytes(ByteBuffer(string: text)))
    }
}
