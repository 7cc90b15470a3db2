/// Why the bundled digit model could not be loaded.
public enum DigitClassifierError: Error, CustomStringConvertible, Sendable {
    /// The weights file is not in the HattamaOCR resource bundle.
    case modelMissing(name: String)
    /// The weights file exists but cannot be decoded or has inconsistent shapes.
    case modelCorrupt(reason: String)

    public var description: String {
        switch self {
        case .modelMissing(let name):
            return "Digit model \(name) is missing from the HattamaOCR resources. "
                + "Rebuild the package, or regenerate it with tools/digits/train.py (see tools/digits/README.md)."
        case .modelCorrupt(let reason):
            return "Digit model in the HattamaOCR resources is corrupt: \(reason). "
                + "Restore Sources/HattamaOCR/Resources/digit-classifier.json from git or retrain with tools/digits/train.py."
        }
    }
}
