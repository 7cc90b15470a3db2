import Foundation
import HattamaCore

/// Reads one handwritten or printed digit (or padding mark) per cell with calibrated probabilities.
///
/// Immutable after loading, so one instance can be shared by all threads. A reading should be accepted
/// automatically only when `confidence` is very high; docs/digit-model.md gives the measured error rates.
public struct DigitClassifier: Sendable {
    /// Resource name of the bundled model (Sources/HattamaOCR/Resources/digit-classifier.json).
    public static let modelResourceName = "digit-classifier"

    private let network: DigitNetwork
    /// "sha256:" and the hex digest of the weights file the classifier was loaded from, for a record's
    /// `Producer.digitModel`.
    public let modelDigest: String

    /// Loads the bundled weights; throws `DigitClassifierError` if they are missing or corrupt.
    public init() throws {
        let url = Bundle.module.url(forResource: Self.modelResourceName, withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: Self.modelResourceName, withExtension: "json")
        guard let url else { throw DigitClassifierError.modelMissing(name: "\(Self.modelResourceName).json") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DigitClassifierError.modelMissing(name: "\(url.path) (\(error.localizedDescription))")
        }
        try self.init(modelData: data)
    }

    /// Loads weights from the bytes of a digit-classifier.json file (for tests and experiments).
    public init(modelData: Data) throws {
        network = try DigitNetwork(json: modelData)
        modelDigest = "sha256:" + SHA256Digest.hex(of: modelData)
    }

    /// Classifies one cell crop (0 = ink, 255 = paper; borders and uneven light are tolerated).
    ///
    /// With `secondLooks`, a cell read below `ReadingVariants.gate` is read twice more, turned and in bolder
    /// ink, and the three readings' logits averaged (tools/digits/variants.py is the reference). The pipeline
    /// asks for them in printed boxes, where they cut misread digits by a tenth; on pieces of free-hand
    /// numbers they did not help (docs/digit-model.md, "Second looks").
    public func classify(_ cell: GrayImage, secondLooks: Bool = false) -> DigitPrediction {
        let mask = CellNormalizer.inkMask(cell)
        let ink = CellNormalizer.inkFraction(mask)
        let input = CellNormalizer.normalizedInput(mask: mask, width: cell.width, height: cell.height)
        let plain = network.logits(input).map(Double.init)
        let probabilities = network.calibrated(plain)
        guard secondLooks, (probabilities.max() ?? 0) < ReadingVariants.gate else {
            return DigitPrediction(orderedProbabilities: probabilities, inkFraction: ink)
        }
        let turned = network.logits(ReadingVariants.rotated(input, degrees: ReadingVariants.rotationDegrees))
        let bold = network.logits(CellNormalizer.normalizedInput(
            mask: ReadingVariants.grown(mask, width: cell.width, height: cell.height), width: cell.width, height: cell.height))
        let mean = plain.indices.map { (plain[$0] + Double(turned[$0]) + Double(bold[$0])) / 3 }
        return DigitPrediction(orderedProbabilities: network.calibrated(mean), inkFraction: ink)
    }

    /// Classifies cells in order.
    public func classify(_ cells: [GrayImage], secondLooks: Bool = false) -> [DigitPrediction] {
        cells.map { classify($0, secondLooks: secondLooks) }
    }
}
