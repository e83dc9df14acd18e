import Crypto
import Foundation
import NIOSSL
import X509

/// HTTPS material: the user's certificate and key, or a self-signed pair generated on first start
/// and kept in the state folder (tinyCam also serves a self-signed certificate; clients turn off
/// verification for it).
public enum TLSSetup {
    /// Where the generated pair lives under the state folder.
    public static func generatedPaths(stateDirectory: String) -> (certificate: String, key: String) {
        let folder = (stateDirectory as NSString).appendingPathComponent("tls")
        return (
            (folder as NSString).appendingPathComponent("cert.pem"),
            (folder as NSString).appendingPathComponent("key.pem")
        )
    }

    /// A server context from PEM files, generating the self-signed pair first when no paths are given.
    public static func context(
        certificatePath: String?, keyPath: String?, stateDirectory: String
    ) throws
        -> (NIOSSLContext, certificate: String, generated: Bool)
    {
        var generated = false
        let paths: (certificate: String, key: String)
        if let certificatePath, let keyPath {
            paths = (certificatePath, keyPath)
            try requireReadable(certificatePath, what: "certificate")
            try requireReadable(keyPath, what: "private key")
        } else {
            paths = generatedPaths(stateDirectory: stateDirectory)
            if !FileManager.default.fileExists(atPath: paths.certificate)
                || !FileManager.default.fileExists(atPath: paths.key)
            {
                do {
                    try writeSelfSigned(certificatePath: paths.certificate, keyPath: paths.key)
                } catch {
                    let folder = (paths.certificate as NSString).deletingLastPathComponent
                    throw TLSSetupError(
                        "cannot write a self-signed certificate into \(folder): \(reason(error)) "
                            + "(make the state folder writable, or give a certificate and key)")
                }
                generated = true
            }
        }
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(paths.certificate)
        } catch {
            throw TLSSetupError(
                "the certificate \(paths.certificate) is not a PEM certificate "
                    + "(expected -----BEGIN CERTIFICATE-----): \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: paths.key, format: .pem)
        } catch {
            throw TLSSetupError(
                "the private key \(paths.key) is not a PEM private key (expected -----BEGIN PRIVATE KEY-----, "
                    + "unencrypted): \(error)")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        do {
            return (try NIOSSLContext(configuration: configuration), paths.certificate, generated)
        } catch {
            throw TLSSetupError(
                "the certificate \(paths.certificate) and the key \(paths.key) cannot be used together "
                    + "(does the key belong to the certificate?): \(error)")
        }
    }

    /// Fails with a plain sentence when `path` is missing, a folder or unreadable.
    private static func requireReadable(_ path: String, what: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw TLSSetupError("the \(what) file \(path) does not exist")
        }
        guard !isFolder.boolValue else { throw TLSSetupError("the \(what) file \(path) is a folder, not a PEM file") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TLSSetupError("the \(what) file \(path) cannot be read (permission denied)")
        }
    }

    /// The OS's reason behind a Foundation file error (`Permission denied`, `Not a directory`),
    /// rather than Foundation's generic "The operation could not be completed".
    static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        return error.localizedDescription
    }

    /// A P-256 key and a ten-year self-signed certificate for `localhost` and `decoy`.
    static func writeSelfSigned(certificatePath: String, keyPath: String) throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName("Decoy tinyCam emulator")
            OrganizationName("Decoy")
        }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames([.dnsName("localhost"), .dnsName("decoy")])
            },
            issuerPrivateKey: .init(key))
        let folder = (certificatePath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try certificate.serializeAsPEM().pemString.write(toFile: certificatePath, atomically: true, encoding: .utf8)
        try key.pemRepresentation.write(toFile: keyPath, atomically: true, encoding: .utf8)
        chmod(keyPath, 0o600)
    }
}

/// A certificate or key problem, said plainly.
public struct TLSSetupError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
