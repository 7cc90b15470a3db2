import Foundation
import HattamaCore
import XCTest

@testable import HattamaOCR

/// The handwriting line reader (`StripReader`) against tools/linereader/strip_net.py, on strips the pipeline cut
/// from hw300's handwritten pages (drawn with held-out MNIST digits, never seen in training).
final class StripReaderTests: XCTestCase {
    struct GoldenCase: Decodable {
        var name: String
        var truth: String
        var width: Int
        var height: Int
        var pixels: String
        var inputWidth: Int
        var inputSum: Double
        var read: String
        var probabilities: [Double]

        var image: GrayImage { GrayImage(width: width, height: height, pixels: [UInt8](Data(base64Encoded: pixels)!)) }
    }

    struct Golden: Decodable {
        var model: String
        var cases: [GoldenCase]
    }

    static let golden: Golden? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/strips/golden.json")
        return try? JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }()

    func testBundledModelLoads() throws {
        XCTAssertEqual(try StripReader().modelDigest.hasPrefix("sha256:"), true)
    }

    func testCorruptModelSaysHowToRestoreIt() {
        XCTAssertThrowsError(try StripReader(modelData: Data("{\"format\": 1}".utf8))) { error in
            XCTAssertTrue("\(error)".contains("tools/linereader/strip_net.py"), "\(error)")
        }
    }

    /// Swift's preprocessing and network reproduce the Python reference the model was trained with.
    func testGoldenStripsMatchPython() throws {
        let golden = try XCTUnwrap(Self.golden, "Fixtures/strips/golden.json is missing")
        let reader = try StripReader()
        XCTAssertEqual(golden.model, reader.modelDigest,
                       "the golden strips were written for another model: run strip_net.py golden (docs/line-reader.md)")
        XCTAssertGreaterThanOrEqual(golden.cases.count, 24, "16 boxed strips and 8 free-hand ones")
        for c in golden.cases {
            let input = StripInput(c.image, height: 32, step: 4, maxWidth: 256)
            XCTAssertEqual(input.width, c.inputWidth, c.name)
            XCTAssertEqual(Double(input.values.reduce(0, +)), c.inputSum, accuracy: 1e-2, c.name)
            let reading = reader.read(c.image)
            XCTAssertEqual(reading.text, c.read, c.name)
            XCTAssertEqual(reading.probabilities.count, c.probabilities.count, c.name)
            for (swift, python) in zip(reading.probabilities, c.probabilities) {
                XCTAssertEqual(swift, python, accuracy: 1e-3, c.name)
            }
        }
    }

    /// Numbers by writers the model never saw are read whole, padding marks included, on most strips.
    func testHeldOutHandwrittenStripsAreMostlyReadExactly() throws {
        let golden = try XCTUnwrap(Self.golden)
        let reader = try StripReader()
        let exact = golden.cases.filter { reader.read($0.image).text == $0.truth }.count
        XCTAssertGreaterThanOrEqual(exact * 10, golden.cases.count * 8, "\(exact) of \(golden.cases.count) held-out strips")
    }

    func testAnEmptyStripReadsNothing() throws {
        let reader = try StripReader()
        XCTAssertEqual(reader.read(GrayImage(width: 120, height: 60, fill: 230)).text, "")
        XCTAssertEqual(reader.read(GrayImage(width: 0, height: 0)).text, "")
    }
}
