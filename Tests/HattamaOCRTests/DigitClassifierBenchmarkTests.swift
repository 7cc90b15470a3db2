import Foundation
import HattamaCore
import XCTest

@testable import HattamaOCR

/// Prints the per-cell inference time; never fails on a slow machine. Measure in release:
/// `swift test -c release --scratch-path .build-digits --filter DigitClassifierBenchmark`
final class DigitClassifierBenchmarkTests: XCTestCase {
    func testPrintInferenceTimePerCell() throws {
        let model = try XCTUnwrap(DigitClassifierTests.shared)
        let cells = try DigitClassifierFixtures.heldOut().map(\.image)
            + DigitClassifierFixtures.golden().cases.map(\.image)
        _ = model.classify(cells)  // warm up
        let rounds = 5
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds { _ = model.classify(cells) }
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let perCell = total / Double(rounds * cells.count)
        var normalizeTime = 0.0
        let s2 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds { for c in cells { _ = CellNormalizer.normalize(c) } }
        normalizeTime = Double(DispatchTime.now().uptimeNanoseconds - s2) / 1e6 / Double(rounds * cells.count)
        print(String(format: "digit classifier: %.3f ms per cell (preprocessing %.3f ms), %d cells x %d rounds",
                     perCell, normalizeTime, cells.count, rounds))
    }
}
