import ArgumentParser
import Foundation
import HattamaCore
import HattamaPipeline

/// `hattama bench speed`: time per page of the pipeline, side by side with the `tesseract` CLI on the same pages.
struct SpeedBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speed",
        abstract: "Median time per page on one core: Hattama's pipeline against the tesseract CLI on the whole page.")

    @Option(help: "Folder of images (truth files not needed).")
    var corpus: String

    @Option(help: "Use only the first N images.")
    var limit: Int = 40

    @Flag(name: .customLong("skip-cli"), help: "Do not run the tesseract CLI alternative.")
    var skipCLI = false

    @Option(help: "Templates folder (default: seeds/ of the project).")
    var seeds: String?

    @Option(help: "Also list this many of the slowest pages, with their form and time.")
    var slowest: Int = 0

    func run() throws {
        let catalog = try Environment.catalog(seeds: seeds)
        let files = Array(Environment.expandInputs([corpus]).prefix(limit))
        guard !files.isEmpty else { throw ValidationError("no images in \(corpus)") }
        let reader = try ProtocolReader(catalog: catalog, classifier: Environment.classifier())
        _ = reader.read(fileAt: files[0], options: DigitizeOptions())  // warm-up
        var ours: [Double] = []
        var forms: [String] = []
        for file in files {
            let start = DispatchTime.now()
            let outcomes = reader.read(fileAt: file, options: DigitizeOptions())
            ours.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6)
            forms.append((try? outcomes.first?.result.get())?.form?.id ?? "not read")
        }
        print("pages: \(files.count) from \(corpus)")
        print(String(format: "hattama digitize, one engine, one core:   median %7.1f ms/page  (p90 %7.1f)", median(ours), percentile(ours, 0.9)))
        for i in ours.indices.sorted(by: { ours[$0] > ours[$1] }).prefix(slowest) {
            print(String(format: "  %7.1f ms  %@  %@", ours[i], forms[i], files[i].lastPathComponent))
        }
        guard !skipCLI else { return }
        var cli: [Double] = []
        for file in files {
            let start = DispatchTime.now()
            try runTesseractCLI(file)
            cli.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6)
        }
        print(String(format: "tesseract CLI, whole page, OMP_THREAD_LIMIT=1: median %7.1f ms/page  (p90 %7.1f)", median(cli), percentile(cli, 0.9)))
        print(String(format: "ratio (tesseract CLI / hattama): %.1fx", median(cli) / median(ours)))
    }

    func runTesseractCLI(_ file: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tesseract", file.path, "stdout", "-l", "eng", "--psm", "3"]
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_THREAD_LIMIT"] = "1"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }

    func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q + 0.5))]
    }
}
