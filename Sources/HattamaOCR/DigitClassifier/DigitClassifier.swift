import Foundation
import HattamaCore

/// Reads one handwritten or printed digit (or padding mark) per cell with calibrated probabilities.
///
/// The bundled classifier is an ensemble: each member is the same small network trained by the same recipe
/// from another seed, and a cell's probabilities are the average of the members' calibrated probabilities.
/// Immutable after loading, so one instance can be shared by all threads. A reading should be accepted
/// automatically only when `confidence` is very high; docs/digit-model.md gives the measured error rates.
public struct DigitClassifier: Sendable {
    /// Resource names of the bundled members (Sources/HattamaOCR/Resources/<name>.json).
    public static let bundledMembers = ["digit-classifier"]

    private let networks: [DigitNetwork]

    /// Loads every bundled member; throws `DigitClassifierError` if one is missing or corrupt.
    public init() throws {
        try self.init(bundled: Self.bundledMembers)
    }

    /// Loads the named bundled members only (tests and experiments compare one member with the ensemble).
    public init(bundled names: [String]) throws {
        var members: [Data] = []
        for name in names {
            let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: name, withExtension: "json")
            guard let url else { throw DigitClassifierError.modelMissing(name: "\(name).json") }
            do {
                members.append(try Data(contentsOf: url))
            } catch {
                throw DigitClassifierError.modelMissing(name: "\(url.path) (\(error.localizedDescription))")
            }
        }
        try self.init(membersData: members)
    }

    /// Loads weights from the bytes of a digit-classifier.json file (for tests and experiments).
    public init(modelData: Data) throws {
        try self.init(membersData: [modelData])
    }

    /// Loads an ensemble from the bytes of each member's JSON file.
    public init(membersData: [Data]) throws {
        guard !membersData.isEmpty else { throw DigitClassifierError.modelCorrupt(reason: "no members to load") }
        networks = try membersData.map { try DigitNetwork(json: $0) }
    }

    /// How many networks are averaged.
    public var memberCount: Int { networks.count }

    /// Classifies one cell crop (0 = ink, 255 = paper; borders and uneven light are tolerated).
    public func classify(_ cell: GrayImage) -> DigitPrediction {
        let (input, ink) = CellNormalizer.normalize(cell)
        var sum = networks[0].probabilities(input)
        for network in networks.dropFirst() {
            for (i, p) in network.probabilities(input).enumerated() { sum[i] += p }
        }
        let count = Double(networks.count)
        return DigitPrediction(orderedProbabilities: sum.map { $0 / count }, inkFraction: ink)
    }

    /// Classifies cells in order.
    public func classify(_ cells: [GrayImage]) -> [DigitPrediction] {
        cells.map { classify($0) }
    }
}
