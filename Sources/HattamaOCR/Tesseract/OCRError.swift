/// Why an OCR engine could not start or read; each message says what to do next.
public enum OCRError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Tesseract could not load the language models.
    case languageNotInstalled(languages: String, dataPath: String?)
    /// Tesseract refused a configuration variable.
    case invalidVariable(name: String, value: String)
    /// The Tesseract handle could not be created.
    case engineUnavailable(detail: String)

    public var description: String {
        switch self {
        case .languageNotInstalled(let languages, let dataPath):
            let packages = languages.split(separator: "+").map { "tesseract-ocr-\($0)" }.joined(separator: " ")
            let location = dataPath.map { " in \($0)" } ?? ""
            return "Tesseract cannot load language data '\(languages)'\(location); install it with "
                + "`apt-get install \(packages)` or point TESSDATA_PREFIX / --tessdata at a folder holding "
                + "the .traineddata files"
        case .invalidVariable(let name, let value):
            return "Tesseract rejected the setting \(name)=\(value); check the variable name against `tesseract --print-parameters`"
        case .engineUnavailable(let detail):
            return "cannot start Tesseract (\(detail)); check that libtesseract5 is installed"
        }
    }
}
