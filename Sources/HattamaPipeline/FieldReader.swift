import HattamaCore
import HattamaImaging
import HattamaOCR

/// A field's record and, when it is not accepted, the values its cells could spell for the arithmetic to
/// choose among (see `ArithmeticReading`).
struct FieldReading {
    var record: FieldRecord
    /// What the classifier's cells could spell, likeliest first (none when the field is already accepted).
    var candidates: [ValueCandidate] = []
    /// The number Tesseract read with conviction (`AcceptRule.tesseractConviction`).
    var tesseractConviction: Int? = nil
    /// The number the handwriting line reader read with conviction (`AcceptRule.lineConviction`).
    var lineConviction: Int? = nil
    /// The number the field's "in words" cell spells, when it was read and spells one.
    var wordsConviction: Int? = nil
    /// Letter corrections the words parser needed for `wordsConviction`.
    var wordsCorrections: Int? = nil
    /// Whether the field's "in words" cell has been read (it is read only where it can decide something).
    var wordsRead = false
    /// What the digit readers saw, and in how many cells or marks, for weighing the words when they are read.
    var evidence: [FieldEvidence] = []
    var inkedMarks = 0
    /// Whether a wide group of free-hand ink was kept as one digit (`InkSegmenter.Segmentation.keptWhole`):
    /// the digit count rests on a judgement the probabilities do not show.
    var segmentationJudged = false
    /// Whether its readers would have accepted the field had no equation checked it (`AcceptRule.decide` with
    /// `checkedByEquation: false`, the line reader's companion at `AcceptRule.lineStandingFloor`) and no reader
    /// contradicts it: a broken equation then need not cast doubt on it (`ConsistencyChecker.keysToBlame`).
    var standsAlone = false

    /// The probability of the classifier's first reading (0 when its cells spell nothing).
    var ownReadingProbability: Double { candidates.first?.probability ?? 0 }
}

/// Reads one field of a registered page with every reader available and decides, conservatively,
/// whether the value can be accepted without a person.
final class FieldReader {
    let engine: TesseractEngine
    let classifier: DigitClassifier?
    /// The handwriting line reader (`StripReader`), beside the classifier.
    let stripReader: StripReader?
    /// Reads "in words" cells when the digits alone cannot be accepted.
    private let wordsReader = WordsReader()
    /// Shown every strip of digits given to Tesseract, when set (`DigitizeOptions.tesseractStripDirectory`).
    var stripObserver: ((GrayImage) -> Void)?

    /// Height in pixels that a value cell is resampled to before reading.
    static let cellHeight = 56.0

    init(engine: TesseractEngine, classifier: DigitClassifier?, stripReader: StripReader? = nil) {
        self.engine = engine
        self.classifier = classifier
        self.stripReader = stripReader
    }

    /// What the readers saw in the ink of a field: each reader's evidence, the classifier's verdict on each
    /// cell, and how many cells or marks carry ink.
    private struct InkReading {
        var evidence: [FieldEvidence] = []
        var predictions: [DigitPrediction] = []
        var inkedMarks = 0
        /// Wide groups of free-hand ink kept as one digit though they read as two (`InkSegmenter.Segmentation`).
        var touchingOrWhole = 0
        /// Wide groups of free-hand ink kept as one digit, `touchingOrWhole` among them.
        var keptWhole = 0
        /// Boxes too faint for the ink test in which the classifier sees a digit rather than paper.
        var faintMarks = 0
        /// What the line reader reads where it is needed: the inked boxes' glyphs Tesseract read, or a free-hand
        /// cell's number cut to its ink (`lineStrip(ofFreeHand:)`). None for a number written again beside boxes.
        var lineStrip: GrayImage?

        /// This reading of a number written again beside the boxes, the classifier's text keeping what it
        /// saw struck out in them first ("### 832"), so the record shows both.
        func after(struck boxes: InkReading) -> InkReading {
            var out = self
            if let i = out.evidence.firstIndex(where: { $0.reader == "digit_classifier" }),
               let struck = boxes.evidence.first(where: { $0.reader == "digit_classifier" }) {
                out.evidence[i].text = struck.text + " " + out.evidence[i].text
            }
            return out
        }
    }

    /// Reads `field`'s digits. `inEquation`: whether one of the form's equations holds the field; otherwise the
    /// classifier must be surer beside Tesseract (`AcceptRule.uncheckedClassifierFloor`). Its "in words" cell is
    /// left to the caller (`readWords`), who knows whether Tesseract proves reliable on the page. With
    /// `pageWidth` (the template's), a number struck out in the field's boxes is read where it was written
    /// again, beside them (`FieldSpec.correctionArea`).
    func read(_ field: FieldSpec, on page: GrayImage, homography: Homography, rule: AcceptRule,
              inEquation: Bool, pageWidth: Double? = nil) -> FieldReading {
        var rect = field.valueRect
        var ink = InkReading()
        var corrected = false, writtenBeside = false, readBeside = false
        if let cells = field.cells {
            ink = readBoxes(cells, on: page, homography: homography)
            if let pageWidth, let area = field.correctionArea(pageWidth: pageWidth) {
                let struck = ink.predictions.contains(where: { $0.best == .struck })
                let beside = struck ? nil : besideInk(area, boxes: cells.boxes.count, on: page, homography: homography)
                writtenBeside = beside != nil
                // A number beside boxes in which no strike was seen is read as a rewritten one as well, where the
                // area holds no printed line: the strike is often a thin line the classifier's input loses
                // (docs/digit-model.md, "Struck boxes that the preprocessing un-strikes"), and the boxes then
                // hold the struck-out number.
                if struck || beside == .number {
                    let rewritten = readFreeHand(area, inset: Self.correctionInset, on: page, homography: homography,
                                                 pastLeadingRule: true)
                    if rewritten.inkedMarks > 0 {
                        corrected = struck
                        readBeside = true
                        ink = rewritten.after(struck: ink)
                        rect = TemplateRect(x: rect.x, y: rect.y, width: area.maxX - rect.x, height: rect.height)
                    }
                }
            }
        } else if let freeBox = field.box {
            ink = readFreeHand(freeBox, inset: 0.04, on: page, homography: homography, forLineReader: true)
        }
        let box = homography.boundingBox(of: rect)
        // Whether the field would stand without its equation is judged at the stricter floors of a field whose
        // equation may break (`AcceptRule.standingRule`).
        let standingRule = rule.standingRule
        func decide() -> (record: FieldRecord, alone: FieldRecord) {
            let record = rule.decide(field: field, evidence: ink.evidence, inkedMarks: ink.inkedMarks, box: box,
                                     checkedByEquation: inEquation)
            guard inEquation else { return (record, record) }
            return (record, standingRule.decide(field: field, evidence: ink.evidence, inkedMarks: ink.inkedMarks, box: box,
                                                checkedByEquation: false))
        }
        var (record, alone) = decide()
        if alone.status != .accepted, let strip = ink.lineStrip, let line = readWithLineReader(strip) {
            // A number the digit readers did not settle between them, or not at the floors of a field no equation
            // checks (a number read beside boxes has no line strip): the line reader may be the classifier's second
            // reader (`AcceptRule.lineReadingAgreeing`). Read only here, it costs printed pages next to nothing.
            ink.evidence.append(line)
            (record, alone) = decide()
        }
        if corrected {
            // Both readers read the one crop beside the boxes, so their agreement is not enough: a rewritten
            // number goes to a person unless the protocol's arithmetic settles it.
            record.status = .uncertain
            record.reasons.append(AcceptRule.corrected)
        }
        if ink.touchingOrWhole > 0 {
            // One digit or two touching ones: the readers may miss the same digit (with a trial model both read
            // 122 as 22), and no candidate value says so. A person decides; the arithmetic does not settle it.
            record.status = .uncertain
            record.reasons.append(AcceptRule.digitsMayTouch)
        }
        if ink.faintMarks > 0 {
            // A digit may be missing from the reading, and no candidate value would hold it: a person decides,
            // and the arithmetic does not wait on it.
            record.status = .uncertain
            record.reasons.removeAll { $0 == ConsistencyChecker.needsRelationSupport }
            record.reasons.append(AcceptRule.faintMark)
        }
        if writtenBeside {
            // A number beside boxes whose strike the classifier missed: the boxes may hold the struck-out one
            // (a struck 148 read as written balanced an equation in place of the 88 beside it), so only the
            // number beside is a candidate, and none when it stands beside a printed line. As for a rewritten
            // number, its readers read one crop: it goes to a person unless the protocol's arithmetic settles
            // it, and its words do not accept it.
            record.status = .uncertain
            record.reasons.append(AcceptRule.writtenBeside)
        }
        // A field whose equation breaks keeps its value only where no reader contradicts it: Tesseract read seed
        // 57's wall 0236's 42 votes right at 0.99 where the classifier (0.973) and the line reader (0.984) read 49.
        let tesseractConviction = rule.tesseractConviction(ink.evidence, inkedMarks: ink.inkedMarks)
        let contradicted = tesseractConviction.map { FieldValue.number($0) != record.value } ?? false
        let standsAlone = record.status == .accepted && alone.status == .accepted && !contradicted
        guard field.kind == .count else { return FieldReading(record: record, standsAlone: standsAlone) }
        let reading = FieldReading(record: record,
                                   candidates: record.status == .accepted || (writtenBeside && !readBeside) || ink.touchingOrWhole > 0
                                       || ink.faintMarks > 0
                                       ? [] : ValueCandidates.from(ink.predictions),
                                   tesseractConviction: tesseractConviction,
                                   lineConviction: rule.lineConviction(ink.evidence, inkedMarks: ink.inkedMarks,
                                                                       freeHand: field.cells == nil),
                                   evidence: ink.evidence, inkedMarks: ink.inkedMarks,
                                   segmentationJudged: ink.keptWhole > 0, standsAlone: standsAlone)
        return reading
    }

    /// Reads the "in words" cell of a field not yet accepted, when it has one not yet read, and weighs it
    /// with the digits (`AcceptRule.combine`: a classifier reading the words spell and may vouch for is
    /// accepted, unless Tesseract, reliable on the page, is convinced of another number); the words then also
    /// stand beside the digits for `ArithmeticReading`. Returns whether they spelled a number.
    @discardableResult
    func readWords(into reading: inout FieldReading, field: FieldSpec, on page: GrayImage, homography: Homography,
                   rule: AcceptRule, languages: [NumberLanguage], tesseractIsReliable: Bool) -> Bool {
        guard reading.record.status != .accepted,
              let words = readWordsOnce(&reading, field: field, on: page, homography: homography, languages: languages)
        else { return false }
        reading.record = rule.combine(reading.record, words: words, evidence: reading.evidence,
                                      inkedMarks: reading.inkedMarks, kind: field.kind,
                                      tesseractIsReliable: tesseractIsReliable)
        reading.evidence.append(words)
        guard let number = words.number else { return false }
        reading.wordsConviction = number
        reading.wordsCorrections = words.wordsCorrections
        return true
    }

    /// The "in words" cell of an accepted field, read only to stand beside its readers in the record, when it has
    /// one not yet read: the decision on the field stays as it is (`ProtocolReader.readWordsBesideUnsureAgreements`).
    func wordsBeside(_ reading: inout FieldReading, field: FieldSpec, on page: GrayImage, homography: Homography,
                     languages: [NumberLanguage]) -> ReaderReading? {
        readWordsOnce(&reading, field: field, on: page, homography: homography, languages: languages)?
            .asReading(kind: field.kind)
    }

    /// The field's "in words" cell, read at most once: nil when the field is no count, has no such cell, had it read
    /// already, or the cell spells nothing the words reader can read.
    private func readWordsOnce(_ reading: inout FieldReading, field: FieldSpec, on page: GrayImage,
                               homography: Homography, languages: [NumberLanguage]) -> FieldEvidence? {
        guard !reading.wordsRead, field.kind == .count, let rect = field.words else { return nil }
        reading.wordsRead = true
        return wordsReader.read(rect, on: page, homography: homography, languages: languages)
    }

    /// One digit per printed box: Tesseract on the inked boxes' glyphs in a row, the classifier on each box.
    private func readBoxes(_ cells: DigitCells, on page: GrayImage, homography: Homography) -> InkReading {
        var ink = InkReading()
        let scale = Self.cellHeight / cells.height
        func crop(_ box: TemplateRect, inset: Double) -> GrayImage {
            page.warped(box.inset(by: inset), through: homography, scale: scale).contrastStretched()
        }
        let narrow = cells.boxes.map { crop($0, inset: Self.boxInkInset) }
        let inked = narrow.map { !CellInk($0).isBlank }
        ink.inkedMarks = inked.filter { $0 }.count
        // The classifier's crops, each cut once: the inked span is read from them, and the blank boxes looked at.
        let wide = classifier == nil ? [] : cells.boxes.map { crop($0, inset: Self.boxInset) }
        if let classifier {
            // Faint pencil on a pale scan can stay under the ink test's contrast, and the number then reads a digit
            // short with nothing to say so (Honduras JRV 18118: of "0 0 5" only the first 0 was ink, read 0 at
            // p = 1.0). A box the test calls blank is looked at: if the classifier sees a digit there rather than
            // paper, the field's number may be missing it. (A faint dash or X is padding, and costs nothing.)
            ink.faintMarks = wide.indices.filter { i in
                guard !inked[i] else { return false }
                let prediction = classifier.classify(wide[i])
                return prediction.best.digit != nil && (prediction.probabilities[.blank] ?? 0) < 0.5
            }.count
        }
        guard let first = inked.firstIndex(of: true), let last = inked.lastIndex(of: true) else { return ink }
        let glyphs = narrow[first...last].map { $0.croppedToInk(margin: 2) ?? GrayImage(width: 20, height: 20) }
        let strip = GrayImage.strip(glyphs, gap: 6, margin: 16)
        ink.evidence.append(readWithTesseract(strip))
        ink.lineStrip = strip
        if let classifier {
            ink.predictions = classifier.classify(Array(wide[first...last]), secondLooks: true)
            ink.evidence.append(evidenceFrom(ink.predictions))
        }
        return ink
    }

    /// A number written free-hand in `rect`: Tesseract on the whole crop, the classifier on the pieces
    /// `InkSegmenter` cuts it into. `pastLeadingRule`: leave out a ruled line near the left edge and what lies
    /// before it (the table border beside the digit boxes). `forLineReader`: give the line reader its strip too
    /// (the field's own cell; not a number written again beside boxes).
    private func readFreeHand(_ rect: TemplateRect, inset: Double, on page: GrayImage, homography: Homography,
                              pastLeadingRule: Bool = false, forLineReader: Bool = false) -> InkReading {
        var ink = InkReading()
        guard let crop = inkedCrop(rect, inset: inset, on: page, homography: homography,
                                   pastLeadingRule: pastLeadingRule) else { return ink }
        let strip = GrayImage.strip([crop], gap: 0, margin: 16)
        ink.evidence.append(readWithTesseract(strip))
        if forLineReader { ink.lineStrip = Self.lineStrip(ofFreeHand: strip) }
        let segmentation = classifier.map { InkSegmenter.segment(crop, judgedBy: $0) }
        let pieces = segmentation?.pieces ?? InkSegmenter.segmentDigits(in: crop)
        ink.inkedMarks = pieces.count
        ink.touchingOrWhole = segmentation?.touchingOrWhole ?? 0
        ink.keptWhole = segmentation?.keptWhole ?? 0
        if let classifier, !pieces.isEmpty {
            ink.predictions = classifier.classify(pieces)
            ink.evidence.append(evidenceFrom(ink.predictions))
        }
        return ink
    }

    /// What is written in `area` beside a field's boxes.
    enum BesideInk {
        /// What looks like a number written there.
        case number
        /// The same beside a line printed from the top of the row to its bottom (a frame, the Kenya form's flag
        /// stripes), which the segmenter may read as 1s: the number written there cannot be read apart from it.
        case numberBesidePrintedLine
    }

    /// Whether `area` beside a field's boxes holds what looks like a number written there: ink the segmenter
    /// cuts into at most as many pieces as the field has boxes, at least half of them digits the classifier is
    /// sure of (the first digit of a number written against the table border is often cut).
    /// Specks, shadows and the paper's edge in a photo rarely pass; a number written again does. The ink must
    /// also be ink before the crop's contrast is stretched: stretched, the grain of a blank grey stretch of a
    /// photo read as 88 beside a printed 724 (printed800's wall 0412). Nil when there is no such number.
    private func besideInk(_ area: TemplateRect, boxes: Int, on page: GrayImage, homography: Homography) -> BesideInk? {
        guard let classifier else { return nil }
        let raw = page.warped(area.inset(by: Self.correctionInset), through: homography, scale: Self.cellHeight / area.height)
        let crop = raw.contrastStretched().trimmedPastLeadingRule()
        let rawPastRule = raw.cropped(to: PixelRect(x: raw.width - crop.width, y: 0, width: crop.width, height: raw.height))
        guard !CellInk(crop).isBlank, !CellInk(rawPastRule, darkerShare: Self.besideRawInkShare).isBlank else { return nil }
        let pieces = InkSegmenter.segmentDigits(in: crop, judgedBy: classifier)
        guard (1...boxes).contains(pieces.count) else { return nil }
        let sure = classifier.classify(pieces).filter { $0.best.digit != nil && $0.confidence >= Self.writtenBesideFloor }
        guard sure.count * 2 >= pieces.count else { return nil }
        return crop.holdsRuledLine ? .numberBesidePrintedLine : .number
    }

    /// How much darker than the paper, as a share of its level, the ink beside the boxes must be before its
    /// contrast is stretched (`CellInk`). A box's test asks 35%: a light blue pen at low pressure (seed 83's
    /// referendum 0158, 15 written beside a struck 8) fell short, the number went unseen, and the struck 8 was
    /// accepted. At 20% (40 levels on paper below 200) the grain of a grey photo still does not pass; on ten
    /// handwritten corpora, printed800 and the real images no accepted value changed but to the right one.
    static let besideRawInkShare = 0.2
    /// Lowest classifier probability of a piece beside the boxes for it to count as a sure digit.
    static let writtenBesideFloor = 0.9
    /// Inset of the area beside the boxes where a number is written again (`FieldSpec.correctionArea`).
    static let correctionInset = 0.02
    /// The classifier reads a digit box cut this share of its size inside its printed outline
    /// (tools/digits/pagecells.py cuts the same). 9% until the eleventh session kept the box lines out, but cut
    /// off the foot of a 2 written large (then read 9 or 1); at 6% a line that strays in crosses the crop whole
    /// and the classifier's cell normaliser clears it. At 3% the lines made blank boxes read as marks.
    /// Whether a box is inked, and Tesseract's glyphs, still come from the crop `boxInkInset` inside: a line
    /// remnant is ink to both, and Tesseract then contradicted right readings.
    static let boxInset = 0.06
    static let boxInkInset = 0.09

    /// `rect` of the page resampled to `cellHeight` and contrast-stretched, without the ruled line at its left
    /// edge when `pastLeadingRule`; nil when it holds no ink.
    private func inkedCrop(_ rect: TemplateRect, inset: Double, on page: GrayImage, homography: Homography,
                           pastLeadingRule: Bool) -> GrayImage? {
        let scale = Self.cellHeight / rect.height
        var crop = page.warped(rect.inset(by: inset), through: homography, scale: scale).contrastStretched()
        if pastLeadingRule { crop = crop.trimmedPastLeadingRule() }
        return CellInk(crop).isBlank ? nil : crop
    }

    private func readWithTesseract(_ strip: GrayImage) -> FieldEvidence {
        stripObserver?(strip)
        let reading = engine.readDigits(strip)
        var digits: [Int] = [], confidences: [Double] = [], runnersUp: [(digit: Int, confidence: Double)?] = []
        for symbol in reading.symbols {
            for character in symbol.text {
                guard let d = character.wholeNumberValue else { continue }
                digits.append(d)
                confidences.append(symbol.confidence)
                let second = symbol.alternatives.first { $0.text != symbol.text }
                runnersUp.append(second.flatMap { alt in alt.text.first?.wholeNumberValue.map { ($0, alt.confidence) } })
            }
        }
        return FieldEvidence(reader: "tesseract", text: reading.compactText, digits: digits, digitConfidences: confidences,
                             unreadableMarks: 0, runnersUp: runnersUp)
    }

    /// A free-hand number as the line reader learned to read it (`free_hand_strip` in
    /// tools/linereader/strip_net.py): the strip Tesseract read, cut to its ink with 2 pixels around, on white
    /// with 16 around. The whole cell, mostly paper, would shrink the digits to a few rows of the network's input:
    /// the boxed forms' model read 30% of hw300's A4 cells so, and 92% cut to their ink.
    static func lineStrip(ofFreeHand strip: GrayImage) -> GrayImage? {
        strip.croppedToInk(margin: 2).map { GrayImage.strip([$0], gap: 0, margin: 16) }
    }

    /// The handwriting line reader on its strip (`InkReading.lineStrip`): one line, digits and padding marks, each with its
    /// probability. A mark after the first digit is unreadable, as for the classifier.
    private func readWithLineReader(_ strip: GrayImage) -> FieldEvidence? {
        guard let stripReader else { return nil }
        let reading = stripReader.read(strip)
        var digits: [Int] = [], confidences: [Double] = [], unreadable = 0
        for (character, probability) in zip(reading.text, reading.probabilities) {
            if let digit = character.wholeNumberValue {
                digits.append(digit)
                confidences.append(probability)
            } else if !digits.isEmpty {
                unreadable += 1
            }
        }
        return FieldEvidence(reader: FieldEvidence.lineReader, text: reading.text, digits: digits,
                             digitConfidences: confidences, unreadableMarks: unreadable, markCount: reading.text.count,
                             runnersUp: Array(repeating: nil, count: digits.count))
    }

    private func evidenceFrom(_ predictions: [DigitPrediction]) -> FieldEvidence {
        var digits: [Int] = [], confidences: [Double] = [], runnersUp: [(digit: Int, confidence: Double)?] = []
        var text = "", unreadable = 0, seenDigit = false
        for prediction in predictions {
            switch prediction.best {
            case .blank:
                text += " "
                if seenDigit { unreadable += 1 }
            case .dash, .cross:
                text += prediction.best == .dash ? "-" : "x"
                if seenDigit { unreadable += 1 }
            case .struck:
                text += "#"
                unreadable += 1
            default:
                guard let digit = prediction.best.digit else { continue }
                seenDigit = true
                text += String(digit)
                digits.append(digit)
                confidences.append(prediction.confidence)
                let second = prediction.runnerUp
                runnersUp.append(second.digit.map { ($0, prediction.probabilities[second] ?? 0) })
            }
        }
        return FieldEvidence(reader: "digit_classifier", text: text.trimmingCharacters(in: .whitespaces), digits: digits,
                             digitConfidences: confidences, unreadableMarks: unreadable,
                             markCount: predictions.filter { $0.best != .blank }.count, runnersUp: runnersUp)
    }
}
