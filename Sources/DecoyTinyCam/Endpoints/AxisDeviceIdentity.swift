import DecoyCore

/// What Decoy says it is to VAPIX clients, in one place so `param.cgi` (`root.Brand`,
/// `root.Properties`) and `basicdeviceinfo.cgi` never disagree.
///
/// The `axis` library prefers basic device info and falls back to `param.cgi` for the same
/// facts (`Vapix.serial_number`, `product_number`, `firmware_version`), so a mismatch would show
/// up as a device whose identity depends on which API answered first.
struct AxisDeviceIdentity: Sendable, Equatable {
    /// 12 upper-case hex digits: the serial number, and the `AXIS_<id>` realm.
    let serialNumber: String
    let brand = "AXIS"
    let productNumber = "Decoy"
    let productShortName = "AXIS Decoy"
    let productFullName = "AXIS Decoy Network Camera"
    let productType = "Network Camera"
    let productVariant = ""
    let webURL = "http://www.axis.com"
    /// An AXIS OS version new enough to have every API Decoy lists (basic device info needs 8.40,
    /// API discovery 8.50); clients compare it, so Decoy's own version number would mislead them.
    let firmwareVersion = "10.12.0"
    let firmwareBuildNumber = "1"
    let buildDate = "Jan 01 2025 00:00"
    /// Axis hardware ids are a few hex digits naming the board; this one names no real board.
    let hardwareID = "DEC0"
    let soc = "Decoy synthetic camera"
    let socSerialNumber = ""

    init(config: DecoyConfig) {
        serialNumber = AxisEndpoints.deviceID(config: config)
    }

    /// The CPU architecture Decoy runs on, named as AXIS OS names it.
    var architecture: String {
        #if arch(arm64)
            "aarch64"
        #elseif arch(x86_64)
            "x86_64"
        #elseif arch(arm)
            "armv7hf"
        #else
            "unknown"
        #endif
    }

    /// The basic device info properties, in the order VAPIX documents them.
    var basicDeviceInfo: [(name: String, value: String)] {
        [
            ("Architecture", architecture), ("Brand", brand), ("BuildDate", buildDate), ("HardwareID", hardwareID),
            ("ProdFullName", productFullName), ("ProdNbr", productNumber), ("ProdShortName", productShortName),
            ("ProdType", productType), ("ProdVariant", productVariant), ("SerialNumber", serialNumber), ("Soc", soc),
            ("SocSerialNumber", socSerialNumber), ("Version", firmwareVersion), ("WebURL", webURL),
        ]
    }
}
