import HattamaCore
import HattamaImaging

/// Why a file or page could not be digitized; each message names the problem and what to do.
public enum DigitizeError: Error, Sendable, CustomStringConvertible {
    case image(ImagingError)
    case unknownForm(String, installed: [String])
    case template(TemplateError)
    case notAProtocol(bestForm: String?, score: Double)
    case engine(String)

    public var description: String {
        switch self {
        case .image(let error):
            return error.description
        case .unknownForm(let id, let installed):
            return "unknown form \(id); installed forms: \(installed.joined(separator: ", ")) (see `hattama forms list`)"
        case .template(let error):
            return error.description
        case .notAProtocol(let best, let score):
            let near = best.map { " (closest: \($0), \(Int(score * 100))% of its boxes found)" } ?? ""
            return "not a recognised protocol form: no installed template's corner marks and boxes were found\(near); "
                + "photograph the whole page with its four corners, or describe this form in seeds/forms (docs/templates.md)"
        case .engine(let detail):
            return detail
        }
    }
}
