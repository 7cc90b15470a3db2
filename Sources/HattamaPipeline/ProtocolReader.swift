import Foundation
import HattamaCore
import HattamaImaging
import HattamaOCR

/// What the caller wants from a digitization run.
public struct DigitizeOptions: Sendable {
    /// Read every page with this form instead of identifying it.
    public var formID: String?
    /// Bind the form to this election instead of its default one.
    public var electionID: String?
    /// Write an overlay image of the template's boxes on each page here.
    public var debugOverlayDirectory: URL?
    /// Images with more pixels than this are refused before decoding.
    public var maxMegapixels: Double
    /// When a reading may be accepted without a person.
    public var acceptRule: AcceptRule = .default
    /// Write each field's strip of digits, as Tesseract reads it, here as `IMAGE-pPAGE.KEY.png` (training data
    /// for the handwriting line reader: docs/line-reader.md).
    public var tesseractStripDirectory: URL?

    public init(formID: String? = nil, electionID: String? = nil, debugOverlayDirectory: URL? = nil,
                maxMegapixels: Double = DecodeLimits.default.maxMegapixels) {
        self.formID = formID
        self.electionID = electionID
        self.debugOverlayDirectory = debugOverlayDirectory
        self.maxMegapixels = maxMegapixels
    }

    var decodeLimits: DecodeLimits { DecodeLimits(maxMegapixels: maxMegapixels) }
}

/// The outcome for one page: its record, or why it could not be read.
public struct PageOutcome: Sendable {
    public var file: String
    public var page: Int
    public var result: Result<ProtocolRecord, DigitizeError>
}

/// Reads protocol images into records. Owns one Tesseract engine: create one per worker thread.
public final class ProtocolReader {
    /// Lowest share of a template's box outlines that must be found for a page to count as that form.
    public static let minimumRegistrationScore = 0.55
    /// Most "in words" cells read on one page for the open fields of equations the arithmetic left open:
    /// without a bound, pages where nothing settles read every one (p90 538 ms on the a4 pages, 467 ms with
    /// 8, 421 ms with 6, for 0.3 and 1.4 points fewer of their fields accepted; docs/accuracy.md).
    public static let openEquationWordsPerPage = 8
    /// A score at which the form is taken as identified without trying the remaining templates.
    public static let certainRegistrationScore = 0.85

    let catalog: TemplateCatalog
    let fieldReader: FieldReader
    /// Written into every record read: this build, and the digit model it reads with.
    let producer: Producer
    private var registrars: [String: (PageRegistrar, ResolvedForm)] = [:]

    public init(catalog: TemplateCatalog, classifier: DigitClassifier?) throws(DigitizeError) {
        self.catalog = catalog
        let engine: TesseractEngine
        do {
            engine = try TesseractEngine(languages: "eng")
        } catch {
            throw .engine(error.description)
        }
        // The line reader stands beside the classifier: without a classifier it has no one to agree with.
        let stripReader: StripReader?
        do {
            stripReader = classifier == nil ? nil : try StripReader()
        } catch {
            throw .engine(error.description)
        }
        fieldReader = FieldReader(engine: engine, classifier: classifier, stripReader: stripReader)
        producer = Producer(digitModel: classifier?.modelDigest, lineModel: stripReader?.modelDigest)
    }

    /// Every page of the file at `url`, each as a record or an error. A file that cannot be opened gives
    /// one failed outcome for page 1.
    public func read(fileAt url: URL, options: DigitizeOptions) -> [PageOutcome] {
        let pages: [DecodedPage]
        let sha256: String
        do {
            pages = try ImageDecoder.decodePages(at: url, limits: options.decodeLimits)
            sha256 = SHA256Digest.hex(of: try Data(contentsOf: url))
        } catch let error as ImagingError {
            return [PageOutcome(file: url.path, page: 1, result: .failure(.image(error)))]
        } catch {
            return [PageOutcome(file: url.path, page: 1, result: .failure(.image(.unreadable(path: url.path, detail: "\(error)"))))]
        }
        return pages.map { page in
            let source = SourceImage(path: url.path, sha256: sha256, page: page.page,
                                     width: page.image.width, height: page.image.height)
            return PageOutcome(file: url.path, page: page.page,
                               result: read(page.image, source: source, options: options))
        }
    }

    /// Reads one decoded page.
    public func read(_ image: GrayImage, source: SourceImage, options: DigitizeOptions) -> Result<ProtocolRecord, DigitizeError> {
        let forms: [ResolvedForm]
        do {
            forms = try candidateForms(options)
        } catch {
            return .failure(error)
        }
        let candidates = MarkDetector.candidates(in: image, limit: 24)
        var best: (PageRegistration, ResolvedForm)?
        for form in forms {
            let registrar = registrar(for: form)
            guard let registration = registrar.register(image, candidates: candidates) else { continue }
            if registration.score > (best?.0.score ?? -1) { best = (registration, form) }
            // Wrong forms score well under this (at most 0.39 measured); stop trying the slower ones.
            if registration.score >= Self.certainRegistrationScore { break }
        }
        guard let (registration, form) = best, registration.score >= Self.minimumRegistrationScore else {
            return .failure(.notAProtocol(bestForm: best?.1.template.id, score: best?.0.score ?? 0))
        }
        let wordsLanguages = NumberLanguage.languages(forCountry: form.template.country)
        // A field in an equation may be settled by the arithmetic alone: its words cell waits until then.
        let inEquations = Set(form.relations.filter { $0.comparison == .equal }.flatMap(\.keys))
        var readings = form.fields.map { field in
            fieldReader.stripObserver = options.tesseractStripDirectory.map { directory in
                let name = "\((source.path as NSString).lastPathComponent)-p\(source.page).\(field.key).png"
                return { strip in try? ImageWriter.writePNG(strip, to: directory.appendingPathComponent(name)) }
            }
            defer { fieldReader.stripObserver = nil }
            return fieldReader.read(field, on: image, homography: registration.homography, rule: options.acceptRule,
                                    inEquation: inEquations.contains(field.key), pageWidth: form.template.page.width)
        }
        // Judged on the digits alone: the words read below add no Tesseract or classifier reading.
        let tesseractIsReliable = ArithmeticReading.tesseractIsReliable(on: readings, rule: options.acceptRule)
        // The words of a field no equation checks are read now, where they could decide (a Tesseract run with a
        // language model each, about 24 ms).
        for i in form.fields.indices where !inEquations.contains(form.fields[i].key)
            && options.acceptRule.wordsCouldDecide(readings[i].evidence, inkedMarks: readings[i].inkedMarks) {
            fieldReader.readWords(into: &readings[i], field: form.fields[i], on: image, homography: registration.homography,
                                  rule: options.acceptRule, languages: wordsLanguages,
                                  tesseractIsReliable: tesseractIsReliable)
        }
        let arithmetic = readWordsOfOpenEquations(&readings, form: form, page: image,
                                                  homography: registration.homography,
                                                  rule: options.acceptRule, languages: wordsLanguages,
                                                  tesseractIsReliable: tesseractIsReliable)
        var fields = arithmetic.fields
        let verdicts = arithmetic.verdicts
        readWordsBesideUnsureAgreements(&fields, &readings, form: form, page: image,
                                        homography: registration.homography, languages: wordsLanguages)
        var checked = ArithmeticReading.check(fields, relations: form.relations, tesseractIsReliable: tesseractIsReliable,
                                              judgedSegmentation: ArithmeticReading.keysWithJudgedSegmentation(readings),
                                              standingAlone: Set(readings.filter(\.standsAlone).map(\.record.key)))
        for i in checked.relations.indices { checked.relations[i].arithmetic = verdicts[checked.relations[i].id]?.description }
        let precinct = checked.fields.first { $0.kind == .precinctID && $0.isTrusted }?.value?.description
        let record = ProtocolRecord(
            form: FormReference(id: form.template.id, version: form.template.version),
            election: form.election?.id, precinct: precinct, source: source,
            registration: RegistrationSummary(method: registration.method, score: registration.score,
                                              quarterTurns: registration.quarterTurns,
                                              homography: registration.homography.m),
            fields: checked.fields, relations: checked.relations, status: checked.status, problems: [],
            producer: producer)
        if let directory = options.debugOverlayDirectory {
            DebugOverlay.write(image: image, form: form, registration: registration, record: record, into: directory)
        }
        return .success(record)
    }

    /// The fields after the arithmetic, with the words cells of the open fields of equations it left open
    /// read in turn: the likeliest misreading first (the open field whose classifier reading is weakest), the
    /// equations read again after each one that changes something. Each costs a Tesseract run with a
    /// language model (about 24 ms): an equation settled early leaves its other words unread, and at most
    /// `openEquationWordsPerPage` are read. Returns the arithmetic's last verdict on each equation as well.
    private func readWordsOfOpenEquations(_ readings: inout [FieldReading], form: ResolvedForm, page: GrayImage,
                                          homography: Homography, rule: AcceptRule, languages: [NumberLanguage],
                                          tesseractIsReliable: Bool)
        -> (fields: [FieldRecord], verdicts: [String: ArithmeticVerdict]) {
        var (fields, verdicts) = ArithmeticReading.applyExplained(readings, relations: form.relations, rule: rule)
        for _ in 0..<Self.openEquationWordsPerPage {
            let open = ArithmeticReading.openKeys(of: fields, relations: form.relations)
            let waiting = form.fields.indices.filter {
                open.contains(form.fields[$0].key) && form.fields[$0].words != nil && !readings[$0].wordsRead
            }
            guard let i = waiting.min(by: { readings[$0].ownReadingProbability < readings[$1].ownReadingProbability }) else { break }
            let before = readings[i].record.status
            let spelled = fieldReader.readWords(into: &readings[i], field: form.fields[i], on: page,
                                                homography: homography, rule: rule, languages: languages,
                                                tesseractIsReliable: tesseractIsReliable)
            if spelled || readings[i].record.status != before {
                (fields, verdicts) = ArithmeticReading.applyExplained(readings, relations: form.relations, rule: rule)
            }
        }
        return (fields, verdicts)
    }

    /// Reads, and records beside its readers, the "in words" cell of each field of a broken equation that was
    /// accepted on the line reader's agreement with a classifier below `ConsistencyChecker.boundingFloor`. Such an
    /// agreement bounds nothing when the form is judged inconsistent; words spelling the same number do, and the
    /// break is then a finding. The decision on the field is not changed here (the broken equation sends it to a
    /// person). Since the line reader accepts the A4 form's fields before the arithmetic, their words went unread:
    /// seed 26's A4 0217 (voters participated 1150, 9 more than the votes add up to) was no longer found.
    private func readWordsBesideUnsureAgreements(_ fields: inout [FieldRecord], _ readings: inout [FieldReading],
                                                 form: ResolvedForm, page: GrayImage, homography: Homography,
                                                 languages: [NumberLanguage]) {
        var values: [String: Int] = [:]
        for field in fields { if let n = field.count { values[field.key] = n } }
        let broken = Set(form.relations.filter { $0.comparison == .equal && $0.evaluate(values)?.holds == false }
            .flatMap(\.keys))
        let index = Dictionary(fields.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        for i in form.fields.indices {
            let spec = form.fields[i]
            guard broken.contains(spec.key), let j = index[spec.key], fields[j].isTrusted,
                  ConsistencyChecker.restsOnAnUnsureLineAgreement(fields[j]),
                  let words = fieldReader.wordsBeside(&readings[i], field: spec, on: page, homography: homography,
                                                      languages: languages) else { continue }
            fields[j].readings.append(words)
        }
    }

    private func candidateForms(_ options: DigitizeOptions) throws(DigitizeError) -> [ResolvedForm] {
        let ids: [String]
        if let formID = options.formID {
            guard catalog.template(formID) != nil else {
                throw .unknownForm(formID, installed: catalog.templates.map(\.id).sorted())
            }
            ids = [formID]
        } else {
            // Templates with corner marks register fastest; the table-frame search is tried last.
            ids = catalog.templates.sorted { ($0.registration.marks?.count ?? 0) > ($1.registration.marks?.count ?? 0) }.map(\.id)
        }
        var forms: [ResolvedForm] = []
        for id in ids {
            do {
                forms.append(try catalog.resolve(formID: id, electionID: options.formID == nil ? nil : options.electionID))
            } catch {
                throw .template(error)
            }
        }
        return forms
    }

    private func registrar(for form: ResolvedForm) -> PageRegistrar {
        let key = "\(form.template.id)@\(form.election?.id ?? "")"
        if let cached = registrars[key] { return cached.0 }
        let valueCells = form.fields.flatMap { $0.cells?.boxes ?? [$0.valueRect] }
        let registrar = PageRegistrar(template: form.template,
                                      cells: form.template.registration.confirmingRects(valueCells: valueCells))
        registrars[key] = (registrar, form)
        return registrar
    }
}
