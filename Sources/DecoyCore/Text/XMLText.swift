/// Text made safe for XML 1.0, in attributes and content: what Decoy writes as XML (JUnit
/// reports, Axis event documents and SOAP answers) escapes through here.
public enum XMLText {
    /// Escapes the five markup characters and tab, newline and return (so attribute values keep
    /// them); characters XML 1.0 cannot carry at all (other control characters, U+FFFE, U+FFFF)
    /// become U+FFFD.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t": result += "&#9;"
            case "\n": result += "&#10;"
            case "\r": result += "&#13;"
            default:
                let value = scalar.value
                if value < 0x20 || (0xFFFE...0xFFFF).contains(value) {
                    result.unicodeScalars.append("\u{FFFD}")
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
