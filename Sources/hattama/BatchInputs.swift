import Foundation
import HattamaStore

/// Turns the PATH arguments of `hattama batch` into files: folders (recursive), globs and `@list` files.
/// Paths that cannot be listed or opened become failed items instead of stopping the batch.
struct BatchInputs {
    /// Extensions taken from folders; files named explicitly are taken whatever their name.
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "tif", "tiff", "pdf", "bmp", "webp", "gif", "pnm"]

    var files: [URL] = []
    var failures: [FailedItem] = []

    /// Expands `arguments`, leaving out anything under `excluding` (the store's own image folder).
    init(arguments: [String], excluding: URL? = nil) {
        let excludedPrefix = excluding.map { $0.standardizedFileURL.path + "/" }
        var seen = Set<String>()
        for argument in arguments { expand(argument, relativeTo: nil, fromList: false) }
        files = files.filter { url in
            let path = url.standardizedFileURL.path
            guard excludedPrefix.map({ !path.hasPrefix($0) }) ?? true else { return false }
            return seen.insert(path).inserted
        }
    }

    private mutating func expand(_ argument: String, relativeTo base: URL?, fromList: Bool) {
        var path = (argument as NSString).expandingTildeInPath
        if let base, !path.hasPrefix("/") { path = base.appendingPathComponent(path).path }
        if argument.hasPrefix("@") && !fromList {
            readList(String(path.dropFirst()))
        } else if path.contains(where: { "*?[".contains($0) }) && !FileManager.default.fileExists(atPath: path) {
            let matches = Self.glob(path)
            if matches.isEmpty { failures.append(FailedItem(path: path, reason: "no file matches this pattern")) }
            for match in matches { expand(match, relativeTo: nil, fromList: true) }
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                failures.append(FailedItem(path: path, reason: "no such file or folder"))
                return
            }
            if isDirectory.boolValue { walk(URL(fileURLWithPath: path)) } else { files.append(URL(fileURLWithPath: path)) }
        }
    }

    private mutating func readList(_ path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            failures.append(FailedItem(path: path, reason: "cannot read this list file (one path per line, UTF-8)"))
            return
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        for line in text.split(whereSeparator: \.isNewline) {
            let entry = line.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty, !entry.hasPrefix("#") else { continue }
            expand(entry, relativeTo: base, fromList: true)
        }
    }

    /// Every image file under `folder`, sorted; subfolders that cannot be read are failures.
    private mutating func walk(_ folder: URL) {
        guard (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) != nil else {
            failures.append(FailedItem(path: folder.path, reason: "cannot read this folder (permission denied?)"))
            return
        }
        var unreadable: [FailedItem] = []
        var found: [URL] = []
        let enumerator = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey], options: [.skipsHiddenFiles],
            errorHandler: { url, error in
                unreadable.append(FailedItem(path: url.path, reason: "cannot read this folder: \(error.localizedDescription)"))
                return true
            })
        while let url = enumerator?.nextObject() as? URL {
            let values = try? url.resourceValues(forKeys: [.isDirectoryKey])
            if values?.isDirectory == true {
                if !FileManager.default.isReadableFile(atPath: url.path)
                    || (try? FileManager.default.contentsOfDirectory(atPath: url.path)) == nil {
                    unreadable.append(FailedItem(path: url.path, reason: "cannot read this folder (permission denied?)"))
                }
                continue
            }
            if Self.imageExtensions.contains(url.pathExtension.lowercased()) { found.append(url) }
        }
        files += found.sorted { $0.path < $1.path }
        var reported = Set<String>()
        failures += unreadable.filter { reported.insert($0.path).inserted }
    }

    /// The paths matching a shell pattern, sorted.
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            if let cString = result.gl_pathv[i] { paths.append(String(cString: cString)) }
        }
        return paths.sorted()
    }
}
