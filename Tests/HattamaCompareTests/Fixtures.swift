import Foundation
import HattamaCore

/// Hand-made protocol records for comparison tests.
enum Fixtures {
    /// A record whose count fields have the given values and statuses (accepted unless listed in `uncertain`).
    static func record(precinct: String?, _ values: [(String, Int?)], uncertain: Set<String> = [],
                       confirmedBy: [String: String] = [:], status: ProtocolStatus = .complete,
                       election: String? = "test-2024", sha: String? = nil) -> ProtocolRecord {
        var fields: [FieldRecord] = []
        for (line, (key, value)) in values.enumerated() {
            let isUncertain = uncertain.contains(key)
            var readings = [ReaderReading(reader: "digit_classifier", text: value.map(String.init) ?? "",
                                          value: value.map(FieldValue.number), confidence: isUncertain ? 0.4 : 0.99)]
            var fieldStatus: FieldStatus = isUncertain ? .uncertain : .accepted
            if let person = confirmedBy[key] {
                readings.append(ReaderReading(reader: "person:\(person)", text: value.map(String.init) ?? "",
                                              value: value.map(FieldValue.number), confidence: 1))
                fieldStatus = .confirmed
            }
            fields.append(FieldRecord(key: key, line: line + 1, kind: .count, value: value.map(FieldValue.number),
                                      status: fieldStatus, confidence: isUncertain ? 0.4 : 0.99,
                                      reasons: isUncertain ? ["low_confidence"] : [],
                                      box: ImageBox(x: 100, y: 40 * line + 100, width: 120, height: 30), readings: readings))
        }
        let relations = status == .inconsistent
            ? [RelationRecord(id: "r1", expression: "ballots_valid = sum(votes)", holds: false, left: 1, right: 2, keys: [])]
            : []
        let hash = sha ?? SHA256Digest.hex(of: Array("\(precinct ?? "none")-\(values.count)".utf8))
        return ProtocolRecord(form: FormReference(id: "test-form", version: 1), election: election, precinct: precinct,
                              source: SourceImage(path: "/photos/\(precinct ?? "x").jpg", sha256: hash, page: 1, width: 1000, height: 1400),
                              registration: nil, fields: fields, relations: relations, status: status, problems: [])
    }

    static func official(_ csv: String, mapping: ResultsMapping = .identity, file: String = "official.csv") throws -> OfficialResults {
        try OfficialResultsParser.parse(Data(csv.utf8), fileName: file, mapping: mapping)
    }

    /// The issues of a file that must fail.
    static func issues(_ csv: String, mapping: ResultsMapping = .identity, file: String = "official.csv") -> [OfficialImportIssue] {
        do {
            _ = try OfficialResultsParser.parse(Data(csv.utf8), fileName: file, mapping: mapping)
            return []
        } catch {
            return error.issues
        }
    }
}

/// A small deterministic generator (SplitMix64) so generated elections are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
