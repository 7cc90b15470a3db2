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
    }

    /// Classifies one cell crop (0 = ink, 255 = paper; borders and uneven light are tolerated).
    public func classify(_ cell: GrayImage) -> DigitPrediction {
        let (input, ink) = CellNormalizer.normalize(cell)
        return DigitPrediction(orderedProbabilities: network.probabilities(input), inkFraction: ink)
    }

    /// Classifies cells in order.
    public func classify(_ cells: [GrayImage]) -> [DigitPrediction] {
        cells.map { classify($0) }
    }
}
