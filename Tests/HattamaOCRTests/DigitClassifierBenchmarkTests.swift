import Foundation
import HattamaCore
import XCTest

@testable import HattamaOCR

/// Prints the per-cell inference time (thread CPU time, so other load on the machine does not inflate it);
/// never fails on a slow machine. Measure in release:
/// `swift test -c release -Xswiftc -enable-testing --scratch-path .build-digits-rel --filter DigitClassifierBenchmark`
final class DigitClassifierBenchmarkTests: XCTestCase {
    func testPrintInferenceTimePerCell() throws {
        let model = try XCTUnwrap(DigitClassifierTests.shared)
        let cells = try DigitClassifierFixtures.heldOut().map(\.image)
            + DigitClassifierFixtures.golden().cases.map(\.image)
        _ = model.classify(cells)  // warm up
        let rounds = 5
        let start = Self.threadMilliseconds()
        for _ in 0..<rounds { _ = model.classify(cells) }
        let perCell = (Self.threadMilliseconds() - start) / Double(rounds * cells.count)
        let s2 = Self.threadMilliseconds()
        for _ in 0..<rounds { for c in cells { _ = CellNormalizer.normalize(c) } }
        let normalizeTime = (Self.threadMilliseconds() - s2) / Double(rounds * cells.count)
        let s3 = Self.threadMilliseconds()
        for _ in 0..<rounds { _ = model.classify(cells, secondLooks: true) }
        let withSecondLooks = (Self.threadMilliseconds() - s3) / Double(rounds * cells.count)
        let looked = cells.filter { model.classify($0).confidence < ReadingVariants.gate }.count
        print(String(format: "digit classifier: %.3f ms CPU per cell (preprocessing %.3f ms), %d cells x %d rounds",
                     perCell, normalizeTime, cells.count, rounds))
        print(String(format: "with second looks (as in printed boxes): %.3f ms CPU per cell, %d of %d cells looked at again",
                     withSecondLooks, looked, cells.count))
    }

    static func threadMilliseconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1e3 + Double(ts.tv_nsec) / 1e6
    }
}
