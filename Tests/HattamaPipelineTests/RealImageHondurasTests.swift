import Foundation
import XCTest
import HattamaCore
@testable import HattamaPipeline

/// Registers the three real Honduras 2025 actas de cierre in `../shared/realimages` (beside the checkout;
/// skipped when absent) and checks that every field's boxes land where the printed boxes are.
final class RealImageHondurasTests: XCTestCase {
    static let formID = "hn-2025-presidential-acta-cierre"

    /// Per image: where the outer yellow frame of the "EN NÚMEROS" column is printed, measured
    /// independently of the template by yellow-line profiles (tools/realimages/measure_hn.py):
    /// top-left corner of the first row's digit box and bottom-right corner of the gran total row's words
    /// box. In reference (JRV 18108) pixels these corners are (211.5, 165.5) and (523.5, 575.5).
    static let cases: [(file: String, topLeft: (x: Double, y: Double), bottomRight: (x: Double, y: Double))] = [
        ("hn_2025_pres_acta_cierre_jrv18108.png", (211.5, 165.5), (523.5, 575.5)),
        ("hn_2025_pres_acta_cierre_jrv18118.png", (187.5, 175.5), (456.5, 530.5)),
        ("hn_2025_pres_acta_cierre_jrv18137.png", (198.0, 169.5), (484.5, 547.0)),
    ]

    func testHondurasActasRegisterOntoTheirPrintedBoxes() throws {
        guard FileManager.default.fileExists(atPath: RepoPaths.realImages.path) else {
            throw XCTSkip("no real images at \(RepoPaths.realImages.path): set HATTAMA_REALIMAGES to their folder")
        }
        let catalog = try ShippedReader.catalog()
        let form = try catalog.resolve(formID: Self.formID)
        let reader = try ProtocolReader(catalog: catalog, classifier: nil)
        let referenceTopLeft = (x: 211.5, y: 165.5), referenceBottomRight = (x: 523.5, y: 575.5)
        for testCase in Self.cases {
            let url = RepoPaths.realImages.appendingPathComponent(testCase.file)
            let outcomes = reader.read(fileAt: url, options: DigitizeOptions(formID: Self.formID))
            XCTAssertEqual(outcomes.count, 1, testCase.file)
            guard let outcome = outcomes.first else { continue }
            let record: ProtocolRecord
            switch outcome.result {
            case .success(let r): record = r
            case .failure(let error):
                XCTFail("\(testCase.file): not registered: \(error)")
                continue
            }
            guard let registration = record.registration else {
                XCTFail("\(testCase.file): record without registration")
                continue
            }
            XCTAssertGreaterThanOrEqual(registration.score, 0.65, "\(testCase.file): registration score")
            XCTAssertEqual(registration.quarterTurns, 0, testCase.file)
            XCTAssertEqual(record.fields.count, 16, testCase.file)
            let m = registration.homography
            func registered(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
                let w = m[6] * x + m[7] * y + m[8]
                return ((m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w)
            }
            // The expected place: the axis-aligned map of the reference frame corners onto the measured ones.
            let sx = (testCase.bottomRight.x - testCase.topLeft.x) / (referenceBottomRight.x - referenceTopLeft.x)
            let sy = (testCase.bottomRight.y - testCase.topLeft.y) / (referenceBottomRight.y - referenceTopLeft.y)
            func expected(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
                (testCase.topLeft.x + (x - referenceTopLeft.x) * sx, testCase.topLeft.y + (y - referenceTopLeft.y) * sy)
            }
            let width = Double(record.source.width), height = Double(record.source.height)
            for field in form.fields {
                var rects = field.cells?.boxes ?? [field.valueRect]
                if let words = field.words { rects.append(words) }
                for rect in rects {
                    for corner in [(rect.x, rect.y), (rect.maxX, rect.maxY)] {
                        let got = registered(corner.0, corner.1), want = expected(corner.0, corner.1)
                        XCTAssert(got.x >= 0 && got.y >= 0 && got.x <= width && got.y <= height,
                                  "\(testCase.file) \(field.key): box corner \(got) outside the image")
                        let error = ((got.x - want.x) * (got.x - want.x) + (got.y - want.y) * (got.y - want.y)).squareRoot()
                        // Rows are about 23 px apart at most: 4 px keeps every box on its own printed box.
                        XCTAssertLessThan(error, 4, "\(testCase.file) \(field.key): box corner at \(got), printed at \(want)")
                    }
                }
            }
        }
    }
}
