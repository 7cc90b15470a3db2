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

    /// Most letter corrections the words parser may have needed for the "in words" cell to count as a second
    /// reader beside a strong classifier reading (see `combine(_:words:evidence:inkedMarks:kind:)`).
    public var wordsMaxCorrections: Int

    /// How many times likelier the values chosen by an equation must be than any other combination of the
    /// fields' candidate values that also balances it (see `ArithmeticReading`). Nil turns that reading off.
    public var arithmeticMargin: Double?
    /// Lowest probability of the values chosen by an equation against the fields' own likeliest readings: a
    /// correction the classifier found wildly unlikely is not made, however well it balances.
    public var arithmeticPlausibility: Double
    /// Lowest probability the classifier must have given a value other than its own first reading for an
    /// equation to settle the field on it. Forms do break their arithmetic (the generated corpora break one
    /// protocol in ten): a broken equation must not be balanced by picking a digit the classifier barely saw.
    public var arithmeticCorrectionFloor: Double = 0.2
    /// Lowest probability the classifier must have given its own first reading of a field for an equation to
    /// settle the field on it. Two misreads can balance an equation by chance when the true value is not even
    /// among the candidates (a 7 read as 3 in one field and a 6 read as 2 in the other, both ones digits): the
    /// arithmetic confirms a reading only where the classifier already favoured it. One weaker first reading
    /// (down to `arithmeticCorrectionFloor`) may be confirmed beside other open fields all read at
    /// `classifierAloneFloor` (`ArithmeticReading.weakOwnReadingHasSureCompanions`).
    public var arithmeticOwnReadingFloor: Double = 0.5
    /// Lowest probability of the classifier's own reading of every other open field of an equation that
    /// corrects one of its fields: two misreads can compensate each other (16 read as 6 and 25 as 35).
    public var arithmeticCompanionFloor: Double = 0.8
    /// Lowest per-digit probability of the classifier beside an agreeing Tesseract for a field that no equation
    /// checks (the precinct number, voters on the list), unless Tesseract is at least as sure. Both read the one
    /// crop: a 1 written with a hook was read as 7 by both (0.96 and 0.95), and no arithmetic could catch it.
    /// Printed digits, which Tesseract reads at 0.99 or more, are not held back.
    public var uncheckedClassifierFloor: Double = 0.99
    /// Lowest probability of the classifier's own reading of a field at which an equation that balances with
    /// it may overrule Tesseract's conviction of another number, on one field of the equation (see
    /// `ArithmeticReading.refusalToTake`). At 0.8 two compensating misreads were accepted where Tesseract was right.
    public var tesseractOverruleFloor: Double = 0.95
    /// How two misreads in two open fields that would balance an equation as well are weighed against the
    /// values it chose: the product of their probability ratios raised to this power must stay below
    /// 1 / `arithmeticMargin` (see `ArithmeticReading.twoMisreadsCouldBalance`). The margin itself multiplies
    /// them, as if independent; one writer's digits are misread alike, and 0.5 (their geometric mean) judges
    /// them halfway to misreads that always go together. Nil turns the check off.
    public var arithmeticPairExponent: Double? = 0.5
    /// Lowest probability of the classifier's weakest digit for the "in words" cell to vouch for its reading
    /// (`isWordsCompanion`). The words are another cell, written apart and read by another reader, so their
    /// spelling the classifier's own first reading is strong evidence where the classifier alone is not.
    /// 0.95 (`classifierAloneFloor`) until the ninth session; at 0.5 hw300 and two blind A4 corpora accepted
    /// no wrong value more (docs/accuracy.md, "Ninth session").
    public var wordsCompanionFloor: Double = 0.5
    /// Lowest confidence of the handwriting line reader's weakest character for it to be the classifier's
    /// second reader (`lineReadingAgreeing`). Nil turns the line reader's say off (it is still recorded).
    public var lineReaderFloor: Double? = 0.9
    /// The same in a free-hand cell (the A4 form's), where the line reader reads the number cut to its ink
    /// (`FieldReader.lineStrip(ofFreeHand:)`). Nil turns its say there off (it is still recorded).
    public var freeHandLineFloor: Double? = 0.99
    /// Lowest probability of the classifier's weakest digit beside an agreeing line reader, for a field an
    /// equation checks and for one no equation checks (the precinct number, voters on the list), where nothing
    /// would catch a misread both share. In an equation the accepted field still meets the arithmetic, but a
    /// shared misread then makes the form look inconsistent: seed 26's RU 0079, 970 read 770 by both (the
    /// classifier at 0.907), at a floor of 0.9 (docs/line-reader.md).
    public var lineCompanionFloor: Double = 0.95
    public var lineCompanionUncheckedFloor: Double = 0.99
    /// Lowest confidence of the line reader's weakest character at which, on a boxed field no equation checks,
    /// the classifier's weakest digit needs only `lineCompanionFloor` beside it, not `lineCompanionUncheckedFloor`.
    /// Over seven corpora of 300 protocols, 612 such agreements were right and 2 wrong (a 1 written as a 7, a 9
    /// read as 0); at a line floor of 0.99 it was 8 wrong in 795. Not in free-hand cells, where no box fixes how
    /// many digits there are (a 4-digit precinct number was read as 3 digits by both there). For a field of a
    /// broken equation to keep its value the classifier must be at `lineSureStandingFloor` (`standingRule`).
    /// Nil turns it off.
    public var lineSureUncheckedFloor: Double? = 0.998
    /// Lowest probability of the classifier's weakest digit beside a line reader at `lineSureUncheckedFloor`, in a
    /// boxed field, for a field of an equation that breaks to keep its value (`standingRule`); the one-digit rule
    /// of `ConsistencyChecker` still blames it when the equation asks it, or the others, to differ by one digit.
    /// On seven corpora it kept 0.4 to 0.9% more fields accepted, none of them wrong. Nil: only
    /// `lineStandingFloor` counts.
    public var lineSureStandingFloor: Double? = 0.95
    /// Lowest probability of the classifier's weakest digit beside an agreeing line reader for a field of an
    /// equation that breaks to keep its value (`FieldReading.standsAlone`): a broken equation says some field of
    /// it is misread, and at 0.95 a flagged 1 read as 7 by both (0.951 and 0.996, hw300's referendum 0102) kept
    /// its value beside a field the break was blamed on.
    public var lineStandingFloor: Double = 0.99

    public init(tesseractFloor: Double, classifierFloor: Double, classifierAloneFloor: Double,
                wordsMaxCorrections: Int = 2, arithmeticMargin: Double? = 20, arithmeticPlausibility: Double = 0.01) {
        self.tesseractFloor = tesseractFloor
        self.classifierFloor = classifierFloor
        self.classifierAloneFloor = classifierAloneFloor
        self.wordsMaxCorrections = wordsMaxCorrections
        self.arithmeticMargin = arithmeticMargin
        self.arithmeticPlausibility = arithmeticPlausibility
    }

    /// Floors and the arithmetic's margins chosen on the validation corpora (docs/accuracy.md, "Calibration").
    public static let `default` = AcceptRule(tesseractFloor: 0.80, classifierFloor: 0.90, classifierAloneFloor: 0.95)

    /// Reason of a field whose "in words" cell spells another number than its digits were read as.
    public static let wordsDisagree = "words_disagree"
    /// Reason of a field whose boxes were struck out and whose number was read where it was written again.
    public static let corrected = ConsistencyChecker.correctedReason
    /// Reason of a free-hand field with ink read as one digit that reads as two touching digits as well.
    public static let digitsMayTouch = "digits_may_touch"
    /// Reason of a field beside whose boxes a number is written, though no box was seen struck out.
    public static let writtenBeside = ConsistencyChecker.writtenBesideReason
    /// Reason of a boxed field with a box too faint for the ink test in which the classifier sees a digit.
    public static let faintMark = ConsistencyChecker.faintMarkReason
    /// Reasons that send a field to a person whatever its readers say, its words included.
    static let alwaysForAPerson: Set<String> = [digitsMayTouch, writtenBeside, faintMark]

    /// The rule a field of an equation is judged by, as if no equation checked it, for it to keep its value when
    /// the equation breaks (`FieldReading.standsAlone`): the classifier beside an agreeing line reader at
    /// `lineStandingFloor`, or at `lineSureStandingFloor` beside a line reader at `lineSureUncheckedFloor`.
    var standingRule: AcceptRule {
        var standing = self
        standing.lineCompanionUncheckedFloor = max(lineCompanionUncheckedFloor, lineStandingFloor)
        if let floor = lineSureStandingFloor {
            // The standing rule decides as if no equation checked the field, so `lineCompanionFloor` counts there
            // only beside a line reader at `lineSureUncheckedFloor` (`lineReadingAgreeing`).
            standing.lineCompanionFloor = floor
        } else {
            standing.lineSureUncheckedFloor = nil
        }
        return standing
    }

    /// `checkedByEquation`: whether one of the form's equations holds the field, so that a misread both of
    /// its readers share can still be caught.
    func decide(field: FieldSpec, evidence: [FieldEvidence], inkedMarks: Int, box: ImageBox,
                checkedByEquation: Bool) -> FieldRecord {
        let readings = evidence.map { $0.asReading(kind: field.kind) }
        guard inkedMarks > 0 || evidence.contains(where: { !$0.digits.isEmpty }) else {
            return FieldRecord(key: field.key, line: field.line, kind: field.kind, value: nil, status: .uncertain,
                               confidence: 0, reasons: ["blank"], box: box, readings: readings)
        }
        let tesseract = evidence.first { $0.reader == "tesseract" }
        let classifier = evidence.first { $0.reader == "digit_classifier" }
        var reasons: [String] = []
        // The line reader has its own rule below: the agreement, value and confidence here are the others'.
        let digitReaders = evidence.filter { $0.reader != FieldEvidence.lineReader }
        // Values, not bare numbers, are compared: a precinct number keeps its leading zeros.
        let values = digitReaders.compactMap { $0.value(kind: field.kind)?.description }
        if values.count < 2 { reasons.append("single_reader") }
        if Set(values).count > 1 { reasons.append("readers_disagree") }
        if let tesseract {
            if tesseract.digits.count != inkedMarks { reasons.append("digit_count_mismatch") }
            if tesseract.confidence < tesseractFloor { reasons.append("low_confidence:tesseract") }
        }
        if let classifier {
            let tesseractIsSure = (tesseract?.confidence ?? 0) >= uncheckedClassifierFloor
            if classifier.confidence < (checkedByEquation || tesseractIsSure ? classifierFloor : uncheckedClassifierFloor) {
                reasons.append("low_confidence:digit_classifier")
            }
            if classifier.unreadableMarks > 0 { reasons.append("unclassified_mark") }
        }
        if values.isEmpty { reasons.append("no_digits_read") }

        // Handwriting: two readers of different kinds, the classifier mark by mark (box by box, or on the pieces
        // of a free-hand number) and the line reader on the whole strip, that read the same number in as many
        // marks as there are inked boxes or pieces.
        if !reasons.isEmpty, let classifier, let value = classifier.value(kind: field.kind),
           let line = lineReadingAgreeing(evidence, inkedMarks: inkedMarks, kind: field.kind,
                                          checkedByEquation: checkedByEquation, freeHand: field.cells == nil) {
            return FieldRecord(key: field.key, line: field.line, kind: field.kind, value: value, status: .accepted,
                               confidence: 1 - (1 - classifier.confidence) * (1 - line.confidence), reasons: [],
                               box: box, readings: readings,
                               alternatives: Self.alternatives(evidence, chosen: value, kind: field.kind))
        }

        // Handwriting: Tesseract rarely reads it, so a strong classifier reading may stand alone, but only
        // as a candidate that the protocol's arithmetic must confirm before it is accepted.
        if !reasons.isEmpty, let classifier, let value = classifier.value(kind: field.kind),
           isStrongAlone(classifier, inkedMarks: inkedMarks) {
            return FieldRecord(key: field.key, line: field.line, kind: field.kind, value: value, status: .uncertain,
                               confidence: classifier.confidence, reasons: [ConsistencyChecker.needsRelationSupport],
                               box: box, readings: readings,
                               alternatives: Self.alternatives(evidence, chosen: value, kind: field.kind))
        }

        let ranked = digitReaders.filter { $0.number != nil }.sorted { $0.confidence > $1.confidence }
        let chosen = ranked.first
        let value = chosen?.value(kind: field.kind)
        let agreeing = Set(values).count == 1 && values.count >= 2
        let confidence: Double
        if agreeing {
            confidence = 1 - digitReaders.map { 1 - $0.confidence }.reduce(1, *)
        } else {
            confidence = (chosen?.confidence ?? 0) * 0.5
        }
        return FieldRecord(key: field.key, line: field.line, kind: field.kind, value: value,
                           status: reasons.isEmpty ? .accepted : .uncertain, confidence: confidence,
                           reasons: reasons, box: box, readings: readings,
                           alternatives: Self.alternatives(evidence, chosen: value, kind: field.kind))
    }

    /// The handwriting line reader's reading when it and the classifier read the same value: the classifier's
    /// weakest digit at least `lineCompanionFloor` (`lineCompanionUncheckedFloor` where no equation checks the
    /// field, unless the line reader is at `lineSureUncheckedFloor` in a boxed field), the line reader convinced
    /// of it (`lineConviction`), both seeing as many marks as inked cells and no mark unclassified, and Tesseract
    /// not sure of another number. Nil otherwise.
    func lineReadingAgreeing(_ evidence: [FieldEvidence], inkedMarks: Int, kind: FieldKind,
                             checkedByEquation: Bool, freeHand: Bool) -> FieldEvidence? {
        guard let classifier = evidence.first(where: { $0.reader == "digit_classifier" }),
              let line = evidence.first(where: { $0.reader == FieldEvidence.lineReader }),
              let value = classifier.value(kind: kind), line.value(kind: kind) == value else { return nil }
        let lineIsSure = !freeHand && lineSureUncheckedFloor.map { line.confidence >= $0 } ?? false
        let floor = checkedByEquation || lineIsSure ? lineCompanionFloor : lineCompanionUncheckedFloor
        // Only a sure Tesseract counts against them: on handwriting it is often convinced (0.8 or more) of a wrong
        // number, and of hw300's 240 fields where the classifier at 0.99 and the line reader agreed against such
        // a conviction, they were right on every one; at 0.99 Tesseract reads printed digits.
        let convincedOtherwise = tesseractConviction(evidence, inkedMarks: inkedMarks, floor: uncheckedClassifierFloor)
            .map { FieldValue.number($0) != value } ?? false
        let agrees = readsEveryMark(classifier, inkedMarks: inkedMarks, atLeast: floor)
            && lineConviction(evidence, inkedMarks: inkedMarks, freeHand: freeHand) != nil && !convincedOtherwise
        return agrees ? line : nil
    }

    /// Whether the classifier's reading is strong enough to stand beside one other independent reader: every
    /// digit at least `classifierAloneFloor`, every mark classified, as many marks as inked cells.
    func isStrongAlone(_ classifier: FieldEvidence, inkedMarks: Int) -> Bool {
        readsEveryMark(classifier, inkedMarks: inkedMarks, atLeast: classifierAloneFloor)
    }

    /// Whether the classifier's reading may be accepted beside words that spell it: every digit at least
    /// `wordsCompanionFloor`, every mark classified, as many marks as inked cells.
    func isWordsCompanion(_ classifier: FieldEvidence, inkedMarks: Int) -> Bool {
        readsEveryMark(classifier, inkedMarks: inkedMarks, atLeast: wordsCompanionFloor)
    }

    /// Whether the classifier read digits, classified every mark, found as many marks as inked cells, and gave
    /// its weakest digit at least `floor`.
    private func readsEveryMark(_ classifier: FieldEvidence, inkedMarks: Int, atLeast floor: Double) -> Bool {
        !classifier.digits.isEmpty && classifier.unreadableMarks == 0
            && classifier.markCount == inkedMarks && classifier.confidence >= floor
    }

    /// Whether reading the field's "in words" cell could get it accepted: only beside a classifier reading
    /// the words may vouch for (`isWordsCompanion`), so words are read only where they can decide something.
    func wordsCouldDecide(_ evidence: [FieldEvidence], inkedMarks: Int) -> Bool {
        guard let classifier = evidence.first(where: { $0.reader == "digit_classifier" }) else { return false }
        return isWordsCompanion(classifier, inkedMarks: inkedMarks)
    }

    /// The digits' decision `record` with the "in words" reading added.
    ///
    /// A field not accepted on its digits is accepted on two independent readers when the classifier's
    /// reading is one the words may vouch for (`isWordsCompanion`), the words spell the same number with at most
    /// `wordsMaxCorrections` corrections, and, on a page where Tesseract has proved reliable
    /// (`ArithmeticReading.tesseractIsReliable`), Tesseract does not confidently read another number. The words
    /// are compared with the classifier's reading, not with the value the digits' decision shows, which may be
    /// Tesseract's. A field that goes to a person whatever its readers say (`digits_may_touch`,
    /// `written_beside`: `FieldReader.read`) is not accepted on its words either. Words that spell another
    /// number than that value add `words_disagree` (which also keeps a `needs_relation_support` field from
    /// being confirmed by the arithmetic). Words that spell nothing are recorded and change nothing.
    func combine(_ record: FieldRecord, words: FieldEvidence, evidence: [FieldEvidence], inkedMarks: Int,
                 kind: FieldKind, tesseractIsReliable: Bool) -> FieldRecord {
        guard record.status != .accepted else { return record }
        var combined = record
        combined.readings.append(words.asReading(kind: kind))
        guard let wordsValue = words.value(kind: kind) else { return combined }
        let classifier = evidence.first { $0.reader == "digit_classifier" }
        let vouched = classifier.map { isWordsCompanion($0, inkedMarks: inkedMarks) && $0.value(kind: kind) == wordsValue } ?? false
        let fewCorrections = (words.wordsCorrections ?? Int.max) <= wordsMaxCorrections
        let vetoed = tesseractIsReliable
            && (tesseractConviction(evidence, inkedMarks: inkedMarks).map { FieldValue.number($0) != wordsValue } ?? false)
        let forAPerson = record.reasons.contains { Self.alwaysForAPerson.contains($0) }
        if let classifier, vouched, fewCorrections, !vetoed, !forAPerson {
            combined.value = wordsValue
            combined.status = .accepted
            combined.reasons = []
            combined.confidence = 1 - (1 - classifier.confidence) * (1 - words.confidence)
            return combined
        }
        if let value = record.value, value != wordsValue {
            combined.reasons.append(Self.wordsDisagree)
            if !combined.alternatives.contains(where: { $0.value == wordsValue }) {
                combined.alternatives.append(Alternative(value: wordsValue, confidence: words.confidence))
            }
        }
        return combined
    }

    /// The number Tesseract read with conviction: confident at every digit (`tesseractFloor`, or `floor`), as many
    /// digits as inked cells.
    func tesseractConviction(_ evidence: [FieldEvidence], inkedMarks: Int, floor: Double? = nil) -> Int? {
        guard let tesseract = evidence.first(where: { $0.reader == "tesseract" }), let read = tesseract.number,
              tesseract.confidence >= floor ?? tesseractFloor, tesseract.digits.count == inkedMarks else { return nil }
        return read
    }

    /// The number the handwriting line reader read with conviction: its weakest digit at least `lineReaderFloor`
    /// (`freeHandLineFloor` in a free-hand cell), as many marks as inked cells or pieces, none unreadable.
    func lineConviction(_ evidence: [FieldEvidence], inkedMarks: Int, freeHand: Bool) -> Int? {
        guard let floor = freeHand ? freeHandLineFloor : lineReaderFloor,
              let line = evidence.first(where: { $0.reader == FieldEvidence.lineReader }),
              let read = line.number, line.confidence >= floor, line.markCount == inkedMarks,
              line.unreadableMarks == 0 else { return nil }
        return read
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
