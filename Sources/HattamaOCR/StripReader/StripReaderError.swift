/// Why the bundled strip reader model could not be loaded.
public enum StripReaderError: Error, CustomStringConvertible, Sendable {
    /// The weights file is not in the HattamaOCR resource bundle.
    case modelMissing(name: String)
    /// The weights file exists but cannot be decoded or has inconsistent shapes.
    case modelCorrupt(reason: String)

    public var description: String {
        switch self {
        case .modelMissing(let name):
            return "Strip reader model \(name) is missing from the HattamaOCR resources. "
                + "Rebuild the package, or retrain it with tools/linereader/strip_net.py (docs/line-reader.md)."
        case .modelCorrupt(let reason):
            return "Strip reader model in the HattamaOCR resources is corrupt: \(reason). "
                + "Restore Sources/HattamaOCR/Resources/strip-reader.json from git or retrain it with tools/linereader/strip_net.py."
        }
    }
}
