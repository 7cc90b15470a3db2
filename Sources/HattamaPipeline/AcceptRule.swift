import HattamaCore

/// The rule that decides whether a field's reading may be accepted without a person.
///
/// A field is accepted only when every condition holds: two independent readers produced the same
/// number, the number of digits matches the number of inked cells or marks, every digit of each reader
/// is above its confidence floor, and no mark was left unclassified. Anything else is `uncertain` with
/// the reasons listed. The protocol's relations are applied afterwards by `ConsistencyChecker`.
public struct AcceptRule: Sendable {
    /// Lowest per-digit confidence of Tesseract that still counts as sure.
    public var tesseractFloor: Double
    /// Lowest per-digit probability of the digit classifier that still counts as sure.
    public var classifierFloor: Double

    /// Lowest per-digit probability at which the classifier alone may carry a field, provided the
    /// protocol's arithmetic then confirms it (see `ConsistencyChecker.needsRelationSupport`).
    public var classifierAloneFloor: Double

    public init(tesseractFloor: Double, classifierFloor: Double, classifierAloneFloor: Double) {
        self.tesseractFloor = tesseractFloor
        self.classifierFloor = classifierFloor
        self.classifierAloneFloor = classifierAloneFloor
    }

    /// Floors chosen on the validation corpora (docs/accuracy.md).
    public static let `default` = AcceptRule(tesseractFloor: 0.80, classifierFloor: 0.90, classifierAloneFloor: 0.99)

    func decide(field: FieldSpec, evidence: [FieldEvidence], inkedMarks: Int, box: ImageBox) -> FieldRecord {
        let readings = evidence.map { $0.asReading(kind: field.kind) }
        guard inkedMarks > 0 || evidence.contains(where: { !$0.digits.isEmpty }) else {
            return FieldRecord(key: field.key, line: field.line, kind: field.kind, value: nil, status: .uncertain,
                               confidence: 0, reasons: ["blank"], box: box, readings: readings)
        }
        let tesseract = evidence.first { $0.reader == "tesseract" }
        let classifier = evidence.first { $0.reader == "digit_classifier" }
        var reasons: [String] = []
        // Values, not bare numbers, are compared: a precinct number keeps its leading zeros.
        let values = evidence.compactMap { $0.value(kind: field.kind)?.description }
        if values.count < 2 { reasons.append("single_reader") }
        if Set(values).count > 1 { reasons.append("readers_disagree") }
        if let tesseract {
            if tesseract.digits.count != inkedMarks { reasons.append("digit_count_mismatch") }
            if tesseract.confidence < tesseractFloor { reasons.append("low_confidence:tesseract") }
        }
        if let classifier {
            if classifier.confidence < classifierFloor { reasons.append("low_confidence:digit_classifier") }
            if classifier.unreadableMarks > 0 { reasons.append("unclassified_mark") }
        }
        if values.isEmpty { reasons.append("no_digits_read") }

        // Handwriting: Tesseract rarely reads it, so a strong classifier reading may stand alone, but only
        // as a candidate that the protocol's arithmetic must confirm before it is accepted.
        if !reasons.isEmpty, let classifier, let value = classifier.value(kind: field.kind),
           classifier.unreadableMarks == 0, classifier.markCount == inkedMarks,
           classifier.confidence >= classifierAloneFloor {
            return FieldRecord(key: field.key, line: field.line, kind: field.kind, value: value, status: .uncertain,
                               confidence: classifier.confidence, reasons: [ConsistencyChecker.needsRelationSupport],
                               box: box, readings: readings,
                               alternatives: Self.alternatives(evidence, chosen: value, kind: field.kind))
        }

        let ranked = evidence.filter { $0.number != nil }.sorted { $0.confidence > $1.confidence }
        let chosen = ranked.first
        let value = chosen?.value(kind: field.kind)
        let agreeing = Set(values).count == 1 && values.count >= 2
        let confidence: Double
        if agreeing {
            confidence = 1 - evidence.map { 1 - $0.confidence }.reduce(1, *)
        } else {
            confidence = (chosen?.confidence ?? 0) * 0.5
        }
        return FieldRecord(key: field.key, line: field.line, kind: field.kind, value: value,
                           status: reasons.isEmpty ? .accepted : .uncertain, confidence: confidence,
                           reasons: reasons, box: box, readings: readings,
                           alternatives: Self.alternatives(evidence, chosen: value, kind: field.kind))
    }

    /// Other values the readers found plausible: the other readers' numbers, then single-digit swaps.
    static func alternatives(_ evidence: [FieldEvidence], chosen: FieldValue?, kind: FieldKind) -> [Alternative] {
        var seen = Set<String>(chosen.map { [$0.description] } ?? [])
        var out: [Alternative] = []
        func add(_ value: FieldValue?, _ confidence: Double) {
            guard let value, seen.insert(value.description).inserted else { return }
            out.append(Alternative(value: value, confidence: confidence))
        }
        for item in evidence { add(item.value(kind: kind), item.confidence) }
        for item in evidence {
            for (i, runnerUp) in item.runnersUp.enumerated() {
                guard let runnerUp, runnerUp.confidence > 0.05 else { continue }
                var digits = item.digits
                digits[i] = runnerUp.digit
                var swapped = item
                swapped.digits = digits
                add(swapped.value(kind: kind), runnerUp.confidence)
            }
        }
        return Array(out.sorted { $0.confidence > $1.confidence }.prefix(3))
    }
}
