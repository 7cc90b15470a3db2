import ArgumentParser
import Foundation
import HattamaCore
import HattamaOCR

/// Shared start-up steps of the commands: finding templates, loading the digit model, writing errors.
enum Environment {
    /// The installed templates and elections.
    static func catalog(seeds: String?) throws -> TemplateCatalog {
        guard let url = seeds.map({ URL(fileURLWithPath: $0) }) ?? TemplateCatalog.locateSeeds() else {
            throw ValidationError("cannot find the templates folder (seeds/); run from the project folder or pass --seeds DIR")
        }
        do {
            return try TemplateCatalog(seedsDirectory: url)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The digit classifier, or nil with a warning when its weights cannot be loaded.
    static func classifier() -> DigitClassifier? {
        do {
            return try DigitClassifier()
        } catch {
            printError("warning: digit classifier unavailable (\(error)); fields read by one reader stay uncertain")
            return nil
        }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Whether standard output is a terminal (a person) rather than a pipe or file.
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Expands folders to the image and PDF files inside them (sorted), and keeps plain files as given.
    static func expandInputs(_ paths: [String]) -> [URL] {
        let extensions: Set<String> = ["jpg", "jpeg", "png", "tif", "tiff", "pdf", "bmp", "webp", "gif", "pnm"]
        var files: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
                    .map { URL(fileURLWithPath: path).appendingPathComponent($0) }
            } else {
                files.append(URL(fileURLWithPath: path))
            }
        }
        return files
    }

    static var defaultWorkers: Int { ProcessInfo.processInfo.activeProcessorCount }
}
