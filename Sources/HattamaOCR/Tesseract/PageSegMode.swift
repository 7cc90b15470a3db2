import CTesseract

/// How Tesseract segments the image before recognising it (Tesseract's `--psm`).
public enum PageSegMode: Int32, Sendable, CaseIterable {
    /// Fully automatic page segmentation (PSM 3): full pages.
    case auto = 3
    /// One uniform block of text (PSM 6).
    case singleBlock = 6
    /// One text line (PSM 7): a numeric field crop.
    case singleLine = 7
    /// One word (PSM 8).
    case singleWord = 8
    /// One character (PSM 10).
    case singleChar = 10
    /// As much text as possible in no particular order (PSM 11).
    case sparseText = 11

    var tesseractValue: TessPageSegMode { TessPageSegMode(rawValue: UInt32(rawValue)) }
}
