import Foundation
import XCTest
import HattamaCore
import HattamaOCR
@testable import HattamaPipeline

/// The words reader on the bundled handwritten A4 sample, whose "in words" cells the generator filled in.
final class WordsReaderTests: XCTestCase {
    func testHandwrittenA4SampleWordsAreReadAndNoAcceptedFieldIsWrong() throws {
        let reader = try ShippedReader.make()
        let image = RepoPaths.root.appendingPathComponent("testimages/handwritten/kz-2022-president-precinct-a4-0012.jpg")
        let truthURL = image.deletingPathExtension().appendingPathExtension("truth.json")
        let truth = try JSONDecoder().decode(TruthFile.self, from: Data(contentsOf: truthURL))
        guard case .success(let record)? = reader.read(fileAt: image, options: DigitizeOptions()).first?.result else {
            return XCTFail("the sample did not register")
        }
        let wordsReadings = record.fields.compactMap { field in
            field.readings.first { $0.reader == "words" }.map { (field.key, $0) }
        }
        XCTAssertFalse(wordsReadings.isEmpty, "fields with a strong classifier reading get their words read")
        for (key, reading) in wordsReadings where reading.value != nil {
            XCTAssertEqual(reading.value, truth.values[key] ?? nil, "\(key): words '\(reading.text)'")
        }
        for field in record.fields where field.isTrusted {
            XCTAssertEqual(field.value, truth.values[field.key] ?? nil, "\(field.key) accepted wrong")
        }
    }
}
