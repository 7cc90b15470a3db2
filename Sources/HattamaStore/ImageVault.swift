import Foundation

/// The content-addressed folder of read-only original images next to the database:
/// `<db>.images/ab/cd/<sha256>.<ext>`.
struct ImageVault: Sendable {
    let root: URL

    init(databasePath: String) {
        root = URL(fileURLWithPath: databasePath + ".images")
    }

    /// The path of an image inside the vault, relative to its root.
    static func relativePath(sha256: String, originalPath: String) -> String {
        let ext = (originalPath as NSString).pathExtension.lowercased()
        let name = ext.isEmpty ? sha256 : "\(sha256).\(ext)"
        let a = String(sha256.prefix(2)), b = String(sha256.dropFirst(2).prefix(2))
        return "\(a)/\(b)/\(name)"
    }

    func url(relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    /// Copies the original into the vault (through a temporary name, then an atomic rename) and makes it
    /// read-only. An existing copy of the right size is kept: a killed run may have left it.
    func store(originalPath: String, sha256: String, byteSize: Int) throws(StoreError) -> String {
        let relative = Self.relativePath(sha256: sha256, originalPath: originalPath)
        let target = url(relativePath: relative)
        let fileManager = FileManager.default
        if let attributes = try? fileManager.attributesOfItem(atPath: target.path),
           (attributes[.size] as? NSNumber)?.intValue == byteSize {
            return relative
        }
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(sha256).\(ProcessInfo.processInfo.processIdentifier).partial")
        do {
            try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? fileManager.removeItem(at: temporary)
            if fileManager.fileExists(atPath: target.path) {
                try? fileManager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target.path)
                try fileManager.removeItem(at: target)
            }
            try fileManager.copyItem(atPath: originalPath, toPath: temporary.path)
            try fileManager.setAttributes([.posixPermissions: 0o444], ofItemAtPath: temporary.path)
            try fileManager.moveItem(at: temporary, to: target)
        } catch {
            try? fileManager.removeItem(at: temporary)
            let nsError = error as NSError
            let underlying = (nsError.userInfo[NSUnderlyingErrorKey] as? NSError)?.code ?? nsError.code
            if underlying == Int(ENOSPC) || nsError.code == NSFileWriteOutOfSpaceError {
                throw .diskFull(path: root.path)
            }
            throw .imageCopy(path: originalPath, detail: error.localizedDescription)
        }
        return relative
    }
}
