import Foundation
import XCTest
import HattamaCore
@testable import HattamaPipeline

/// Registers the real Kenya, Argentina and Colombia images in `../shared/realimages` (beside the checkout;
/// skipped when absent) with their templates and checks that each gives a record.
/// The Colombia E-14 writes its numbers in free space, without printed boxes: its fit is confirmed by the
/// ruled table its template names in `registration.outlines`.
final class RealImageFormsTests: XCTestCase {
    /// Image, form, registration method, lowest score, number of fields.
    static let cases: [(file: String, form: String, method: String, minimumScore: Double, fields: Int)] = [
        ("ke_2013_pres_form34_ngomano_primary_kibwezi_west_p1_scan300dpi.jpg", "ke-2013-presidential-form34", "table", 0.75, 15),
        ("ar_2017_paso_ba_certificado_malvinas_argentinas_c399_m65_hoja2.jpg", "ar-2017-paso-certificado-escrutinio", "table", 0.85, 65),
        ("co_2018_senado_e14_delegados_medellin_z01_p01_m010.png", "co-2018-senado-e14-delegados", "marks", 0.9, 7),
    ]

    func testRealFormsRegisterWithTheirTemplates() throws {
        guard FileManager.default.fileExists(atPath: RepoPaths.realImages.path) else {
            throw XCTSkip("no real images at \(RepoPaths.realImages.path): set HATTAMA_REALIMAGES to their folder")
        }
        let reader = try ShippedReader.make(withClassifier: false)
        for testCase in Self.cases {
            let url = RepoPaths.realImages.appendingPathComponent(testCase.file)
            let outcomes = reader.read(fileAt: url, options: DigitizeOptions(formID: testCase.form))
            XCTAssertEqual(outcomes.count, 1, testCase.file)
            guard case .success(let record)? = outcomes.first?.result else {
                XCTFail("\(testCase.file): not registered: \(String(describing: outcomes.first?.result))")
                continue
            }
            XCTAssertEqual(record.form?.id, testCase.form, testCase.file)
            XCTAssertEqual(record.fields.count, testCase.fields, testCase.file)
            guard let registration = record.registration else {
                XCTFail("\(testCase.file): record without registration")
                continue
            }
            XCTAssertEqual(registration.method, testCase.method, testCase.file)
            XCTAssertGreaterThanOrEqual(registration.score, testCase.minimumScore, "\(testCase.file): registration score")
            XCTAssertEqual(registration.quarterTurns, 0, testCase.file)
            // The reference is the image itself (Argentina: rectified), so boxes stay near where they were measured.
            let m = registration.homography
            let w = m[6] * 400 + m[7] * 600 + m[8]
            let x = (m[0] * 400 + m[1] * 600 + m[2]) / w, y = (m[3] * 400 + m[4] * 600 + m[5]) / w
            XCTAssertLessThan(abs(x - 400) + abs(y - 600), 40, "\(testCase.file): (400, 600) maps to (\(x), \(y))")
        }
    }

    /// Without `--form`, the Colombia E-14 is recognised among all installed templates (it was refused as
    /// "not a protocol" while only value-cell outlines could confirm a fit), and its numbers are read.
    func testColombiaE14IsRecognisedWithoutNamingItsForm() throws {
        let record = try Self.recordOfRealImage("co_2018_senado_e14_delegados_medellin_z01_p01_m010.png")
        XCTAssertEqual(record.form?.id, "co-2018-senado-e14-delegados")
        let read = record.fields.filter { $0.value != nil }
        XCTAssertEqual(read.count, 7, "every field of the page should carry a reading")
        XCTAssertEqual(record.fields.first { $0.key == "total_votos_urna" }?.value, .number(166))
    }

    /// Beside the Kenya form's boxes stand the flag's printed stripes, which the segmenter reads as 1s: the
    /// field keeps the boxes' reading (4, padded 000004) and goes to a person, instead of taking 1111 from the
    /// stripes as a number written again.
    func testKenyaFlagStripesBesideTheBoxesAreNotReadAsANumberWrittenAgain() throws {
        let record = try Self.recordOfRealImage("ke_2013_pres_form34_ngomano_primary_kibwezi_west_p1_scan300dpi.jpg")
        let kenyatta = try XCTUnwrap(record.fields.first { $0.key == "votes.kenyatta" })
        XCTAssertEqual(kenyatta.value, .number(4))
        XCTAssertEqual(kenyatta.status, .uncertain)
    }

    /// Honduras JRV 18118 is a pale 72 dpi scan written in faint pencil: of its null votes "0 0 5" only the
    /// first 0 passes the ink test, and the field read 0 at p = 1.0, waiting for an equation to accept it. The
    /// classifier sees marks in the two boxes called blank, so the field goes to a person, with no candidate
    /// value an equation could settle.
    func testAFaintDigitTheInkTestMissesSendsTheFieldToAPerson() throws {
        let record = try Self.recordOfRealImage("hn_2025_pres_acta_cierre_jrv18118.png")
        let nullVotes = try XCTUnwrap(record.fields.first { $0.key == "null_votes" })
        XCTAssertEqual(nullVotes.status, .uncertain)
        XCTAssertTrue(nullVotes.reasons.contains(AcceptRule.faintMark), "reasons: \(nullVotes.reasons)")
        XCTAssertFalse(nullVotes.reasons.contains(ConsistencyChecker.needsRelationSupport), "reasons: \(nullVotes.reasons)")
    }

    /// The record of a real image read with the shipped templates and classifier, its form identified; skips the
    /// test when the real images are absent, fails it when the image gives no record.
    static func recordOfRealImage(_ file: String) throws -> ProtocolRecord {
        guard FileManager.default.fileExists(atPath: RepoPaths.realImages.path) else {
            throw XCTSkip("no real images at \(RepoPaths.realImages.path): set HATTAMA_REALIMAGES to their folder")
        }
        let reader = try ShippedReader.make(withClassifier: true)
        let url = RepoPaths.realImages.appendingPathComponent(file)
        let result = reader.read(fileAt: url, options: DigitizeOptions()).first?.result
        guard case .success(let record)? = result else { throw NotRegistered(file: file, result: String(describing: result)) }
        return record
    }

    struct NotRegistered: Error, CustomStringConvertible {
        let file: String
        let result: String
        var description: String { "\(file) is not registered: \(result)" }
    }
}
