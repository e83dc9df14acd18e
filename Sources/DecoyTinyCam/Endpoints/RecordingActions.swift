import DecoyCore

/// `param.cgi?action=delete|pin|unpin&root.Filename=<path>`: act on a clip and its thumbnail.
///
/// The official web UI builds `root.Filename` by cutting `/api/v1/get_file?file=` off an event's
/// `video` URL, so depending on the client the value arrives decoded once or still
/// percent-encoded (`/Doorbell/2020-09-20%2017.15.55%2043sec%20person.mp4`). Only names of indexed
/// recordings are accepted, so trying a second decoding when the first names nothing cannot
/// reach anything else (paths are still resolved inside the recordings root).
enum RecordingActions {
    static func apply(_ action: String, context: EndpointContext) throws -> TinyCamResponse {
        guard let value = context.query["root.Filename"], !value.isEmpty else {
            throw APIError.badRequest("action=\(action) needs root.Filename=<path of the recording>")
        }
        guard let store = context.services.cameras.events,
            let path = indexedPath(value, in: store, cameras: context.services.cameras)
        else {
            throw APIError.notFound("No such file.")
        }
        do throws(StorageError) {
            switch action {
            case "delete": try store.delete(clientPath: path)
            case "pin": try store.setPinned(true, clientPath: path)
            default: try store.setPinned(false, clientPath: path)
            }
        } catch .notFound {
            throw APIError.notFound("No such file.")
        } catch .conflict(let reason) {
            throw APIError.badRequest("cannot \(action) the recording: \(reason)")
        } catch {
            throw APIError.internalError("could not \(action) the recording: \(error)")
        }
        context.services.recordAudit("\(action) \(path) by \(context.principal.user)")
        return .emptySuccess
    }

    /// The indexed path `value` names, as given or after one more percent-decoding; only
    /// recordings of enabled cameras (a disabled camera's events are not listed, so not reachable).
    static func indexedPath(_ value: String, in store: EventStore, cameras: CameraRegistry) -> String? {
        for candidate in [value, value.contains("%") ? try? QueryParameters.decode(value, plusIsSpace: false) : nil] {
            guard let candidate, let record = store.record(forPath: candidate),
                cameras.camera(id: record.cameraID)?.config.enabled == true
            else { continue }
            return candidate
        }
        return nil
    }
}
