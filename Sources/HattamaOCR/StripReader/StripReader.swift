import Foundation
import HattamaCore

/// What the strip reader read: its characters (digits and the padding marks `-` and `x`) and each one's
/// probability, the highest its class reached over the steps of the strip it spans.
public struct StripReading: Sendable, Equatable {
    public let text: String
    public let probabilities: [Double]
}

/// Reads a field's strip of handwritten digits as one line: a small convolutional network trained by
/// tools/linereader/strip_net.py, its column outputs decoded as CTC does (the best class per step, repeats
/// merged, blanks dropped). It reads the whole strip at once, where `DigitClassifier` reads one cell at a time,
/// so it is the classifier's second reader on handwriting (docs/line-reader.md).
///
/// Immutable after loading: one instance can be shared by all threads.
public struct StripReader: Sendable {
    /// Resource name of the bundled model (Sources/HattamaOCR/Resources/strip-reader.json).
    public static let modelResourceName = "strip-reader"

    private let network: StripNetwork
    /// "sha256:" and the hex digest of the weights file, for a record's `Producer.lineModel`.
    public let modelDigest: String

    /// Loads the bundled weights.
    public init() throws(StripReaderError) {
        let url = Bundle.module.url(forResource: Self.modelResourceName, withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: Self.modelResourceName, withExtension: "json")
        guard let url, let data = try? Data(contentsOf: url) else {
            throw .modelMissing(name: "\(Self.modelResourceName).json")
        }
        try self.init(modelData: data)
    }

    /// Loads weights from the bytes of a strip-reader.json file (for tests and experiments).
    public init(modelData: Data) throws(StripReaderError) {
        network = try StripNetwork(json: modelData)
        modelDigest = "sha256:" + SHA256Digest.hex(of: modelData)
    }

    /// Reads a strip (0 = ink, 255 = paper), any size.
    public func read(_ strip: GrayImage) -> StripReading {
        guard strip.width > 0, strip.height > 0 else { return StripReading(text: "", probabilities: []) }
        let input = StripInput(strip, height: network.height, step: network.widthStep, maxWidth: network.maxWidth)
        var text = "", probabilities: [Double] = [], previous = 0
        for column in network.logits(input) {
            let top = column.max() ?? 0
            let exps = column.map { Foundation.exp(Double($0 - top)) }
            let sum = exps.reduce(0, +)
            let best = exps.indices.max { exps[$0] < exps[$1] } ?? 0
            let p = exps[best] / sum
            if best != 0, best != previous {
                text.append(network.charset[best - 1])
                probabilities.append(p)
            } else if best != 0, let last = probabilities.indices.last {
                probabilities[last] = max(probabilities[last], p)
            }
            previous = best
        }
        return StripReading(text: text, probabilities: probabilities)
    }
}
