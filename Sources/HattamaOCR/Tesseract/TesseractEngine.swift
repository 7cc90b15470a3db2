import CTesseract
import Foundation
import HattamaCore

/// One Tesseract instance: create one per worker thread, once (init costs 20-100 ms), and reuse it.
///
/// Not `Sendable`: Tesseract's handle must never be used from two threads at once. Results are Sendable
/// value types. Two ways to read: pass a crop (`readDigits(_:)`), or set the page once with `setPage(_:)`
/// and read each field's rectangle (`readDigits(in:)`), which avoids copying the page per field.
public final class TesseractEngine {
    /// The languages loaded, e.g. "eng" or "rus+kaz".
    public let languages: String
    private let handle: OpaquePointer
    private var whitelist: String?
    private var pageSize: (width: Int, height: Int)?
    private let dotsPerInch: Int32

    /// Starts Tesseract with LSTM models for `languages` ("eng", "rus+kaz"), from `dataPath` or the system tessdata.
    ///
    /// `variables` are Tesseract parameters set at init (so init-only ones work too). `dotsPerInch` is the
    /// resolution reported to Tesseract for every image (300 for our rectified pages).
    public init(languages: String = "eng", dataPath: String? = nil, variables: [String: String] = [:],
                dotsPerInch: Int = 300) throws(OCRError) {
        TesseractRuntime.limitOpenMP()
        guard let created = TessBaseAPICreate() else { throw .engineUnavailable(detail: "TessBaseAPICreate returned NULL") }
        var settings = ["lstm_choice_mode": "2", "debug_file": "/dev/null"]
        settings.merge(variables) { _, user in user }
        let names = settings.keys.sorted()
        let status = withCStrings(names) { namePointers in
            withCStrings(names.map { settings[$0]! }) { valuePointers in
                TessBaseAPIInit4(created, dataPath, languages, OEM_LSTM_ONLY, nil, 0,
                                 namePointers, valuePointers, names.count, 0)
            }
        }
        // Stored properties are assigned only on success: a throw after that would run deinit and free twice.
        guard status == 0 else {
            TessBaseAPIDelete(created)
            throw .languageNotInstalled(languages: languages, dataPath: dataPath)
        }
        for name in names where TessBaseAPIGetStringVariable(created, name) == nil
            && TessBaseAPISetVariable(created, name, settings[name]!) == 0 {
            TessBaseAPIEnd(created)
            TessBaseAPIDelete(created)
            throw .invalidVariable(name: name, value: settings[name]!)
        }
        self.languages = languages
        self.dotsPerInch = Int32(max(70, min(2400, dotsPerInch)))
        handle = created
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    // MARK: Reading a crop

    /// Reads a printed number in a tight field crop: single line, digits only, with per-symbol alternatives.
    public func readDigits(_ image: GrayImage, pageSegMode: PageSegMode = .singleLine,
                           whitelist: String = "0123456789") -> TextReading {
        guard setPage(image) else { return .empty }
        return recognize(rect: nil, pageSegMode: pageSegMode, whitelist: whitelist)
    }

    /// Reads all text in an image (full page by default), e.g. to find printed anchor phrases; a non-empty
    /// `whitelist` limits the characters Tesseract may output (say, the letters of number words).
    public func readText(_ image: GrayImage, pageSegMode: PageSegMode = .auto, whitelist: String = "") -> TextReading {
        guard setPage(image) else { return .empty }
        return recognize(rect: nil, pageSegMode: pageSegMode, whitelist: whitelist)
    }

    // MARK: Reading rectangles of one page

    /// Gives Tesseract a page once; then read fields with `readDigits(in:)` / `readText(in:)`. Returns false
    /// for an image too small for Tesseract (under 3 x 3) or too large (over 32,767 pixels a side).
    @discardableResult
    public func setPage(_ image: GrayImage) -> Bool {
        pageSize = nil
        guard image.width >= 3, image.height >= 3, image.width <= 32_767, image.height <= 32_767 else { return false }
        image.pixels.withUnsafeBufferPointer { pixels in
            // Tesseract copies the bytes into its own Pix, so the buffer need not outlive this call.
            TessBaseAPISetImage(handle, pixels.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
        }
        TessBaseAPISetSourceResolution(handle, dotsPerInch)
        pageSize = (image.width, image.height)
        return true
    }

    /// Reads a printed number inside `rect` of the page given to `setPage(_:)`; boxes are in page coordinates.
    public func readDigits(in rect: PixelRect, pageSegMode: PageSegMode = .singleLine,
                           whitelist: String = "0123456789") -> TextReading {
        recognize(rect: rect, pageSegMode: pageSegMode, whitelist: whitelist)
    }

    /// Reads all text inside `rect` of the page given to `setPage(_:)`.
    public func readText(in rect: PixelRect, pageSegMode: PageSegMode = .singleBlock) -> TextReading {
        recognize(rect: rect, pageSegMode: pageSegMode, whitelist: "")
    }

    // MARK: Recognition

    private func recognize(rect: PixelRect?, pageSegMode: PageSegMode, whitelist: String) -> TextReading {
        guard let pageSize else { return .empty }
        if let rect {
            let x0 = max(0, rect.x), y0 = max(0, rect.y)
            let x1 = min(pageSize.width, rect.x + rect.width), y1 = min(pageSize.height, rect.y + rect.height)
            guard x1 - x0 >= 3, y1 - y0 >= 3 else { return .empty }
            TessBaseAPISetRectangle(handle, Int32(x0), Int32(y0), Int32(x1 - x0), Int32(y1 - y0))
        } else {
            TessBaseAPISetRectangle(handle, 0, 0, Int32(pageSize.width), Int32(pageSize.height))
        }
        if self.whitelist != whitelist {
            guard TessBaseAPISetVariable(handle, "tessedit_char_whitelist", whitelist) != 0 else { return .empty }
            self.whitelist = whitelist
        }
        TessBaseAPISetPageSegMode(handle, pageSegMode.tesseractValue)
        guard TessBaseAPIRecognize(handle, nil) == 0 else { return .empty }
        var text = ""
        if let utf8 = TessBaseAPIGetUTF8Text(handle) {
            text = String(cString: utf8)
            TessDeleteText(utf8)
        }
        text = Self.normalise(text)
        guard !text.isEmpty else { return .empty }
        let (symbols, minWordConfidence, wordCount) = collectSymbols()
        return TextReading(text: text, symbols: symbols, minWordConfidence: minWordConfidence, wordCount: wordCount)
    }

    private func collectSymbols() -> ([SymbolReading], Double, Int) {
        guard let results = TessBaseAPIGetIterator(handle) else { return ([], 0, 0) }
        defer { TessResultIteratorDelete(results) }
        guard let page = TessResultIteratorGetPageIteratorConst(results) else { return ([], 0, 0) }
        var symbols: [SymbolReading] = []
        var minWordConfidence = Double.infinity
        var wordCount = 0
        repeat {
            if TessPageIteratorIsAtBeginningOf(page, RIL_WORD) != 0,
               let word = TessResultIteratorGetUTF8Text(results, RIL_WORD) {
                TessDeleteText(word)
                wordCount += 1
                minWordConfidence = min(minWordConfidence, Self.unit(TessResultIteratorConfidence(results, RIL_WORD)))
            }
            // Text first: the choice iterator aborts the process on an empty result.
            guard let utf8 = TessResultIteratorGetUTF8Text(results, RIL_SYMBOL) else { continue }
            let text = String(cString: utf8)
            TessDeleteText(utf8)
            guard !text.isEmpty else { continue }
            let confidence = Self.unit(TessResultIteratorConfidence(results, RIL_SYMBOL))
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            let box = TessPageIteratorBoundingBox(page, RIL_SYMBOL, &left, &top, &right, &bottom) != 0
                ? PixelRect(x: Int(left), y: Int(top), width: Int(right - left), height: Int(bottom - top))
                : PixelRect(x: 0, y: 0, width: 0, height: 0)
            symbols.append(SymbolReading(text: text, confidence: confidence, alternatives: alternatives(results),
                                         box: box))
        } while TessResultIteratorNext(results, RIL_SYMBOL) != 0
        return (symbols, wordCount == 0 ? 0 : minWordConfidence, wordCount)
    }

    /// Alternatives for the current symbol, best first; the strings belong to the iterator and are not freed.
    private func alternatives(_ results: OpaquePointer) -> [SymbolAlternative] {
        guard let choices = TessResultIteratorGetChoiceIterator(results) else { return [] }
        defer { TessChoiceIteratorDelete(choices) }
        var found: [SymbolAlternative] = []
        repeat {
            guard let utf8 = TessChoiceIteratorGetUTF8Text(choices) else { continue }
            found.append(SymbolAlternative(text: String(cString: utf8),
                                           confidence: Self.unit(TessChoiceIteratorConfidence(choices))))
        } while TessChoiceIteratorNext(choices) != 0
        return found.sorted { $0.confidence > $1.confidence }
    }

    private static func unit(_ percent: Float) -> Double { min(1, max(0, Double(percent) / 100)) }

    /// Trims the text, collapses runs of spaces and drops empty lines.
    private static func normalise(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }
}

@available(*, unavailable, message: "one TesseractEngine per worker thread; never share one")
extension TesseractEngine: @unchecked Sendable {}

/// Calls `body` with a C array of C strings that live for the duration of the call.
private func withCStrings<Result>(_ strings: [String],
                                  _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Result) -> Result {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress) }
}
