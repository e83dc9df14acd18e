import DecoyCore

/// The Axis VAPIX discovery and parameter endpoints that VAPIX clients (the `axis` Python library
/// behind Home Assistant's Axis integration, NVRs) need before they stream: `param.cgi`,
/// `basicdeviceinfo.cgi`, `apidiscovery.cgi`.
///
/// They exist only in the axis profile (`server.profile: axis`): tinyCam has none of them, so in
/// the tinycam profile their paths stay unknown (404 before any credential check, like every
/// other unknown path).
enum AxisEndpoints {
    /// The endpoints a server of `profile` registers.
    static func endpoints(for profile: ServerProfile) -> [Endpoint] {
        guard profile == .axis else { return [] }
        return [AxisParamEndpoint.endpoint] + AxisDiscoveryEndpoints.all + AxisEventEndpoints.all
            + AxisUserEndpoints.all + AxisIOEndpoints.all + [AxisLightEndpoint.endpoint] + AxisMediaInfoEndpoints.all
            + AxisApplicationEndpoints.all + AxisAbsentFeatureEndpoints.all
    }

    /// The MAC-like device id (12 upper-case hex digits, Axis's `00408C` prefix), derived from the
    /// first camera's seed: the serial number VAPIX reports and the `AXIS_<id>` realm, so a
    /// client that pairs the two sees one device.
    static func deviceID(config: DecoyConfig) -> String { config.axisDeviceID }
}
