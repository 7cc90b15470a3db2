import ArgumentParser
import HattamaPipeline

/// The accept rule's floors and margins as `bench accuracy` options, each left at its default unless given:
/// the calibration sweeps of docs/accuracy.md change one at a time.
struct AcceptRuleOverrides: ParsableArguments {
    @Option(name: .customLong("classifier-alone-floor"),
            help: "Per-digit probability at which the classifier alone may carry a field pending the arithmetic (calibration sweeps).")
    var classifierAloneFloor: Double?

    @Option(name: .customLong("arithmetic-margin"),
            help: "How many times likelier than any other balancing combination an equation's values must be (calibration sweeps; 0 turns the joint reading off).")
    var arithmeticMargin: Double?

    @Option(name: .customLong("arithmetic-plausibility"),
            help: "Lowest probability of an equation's values against the fields' own likeliest readings (calibration sweeps).")
    var arithmeticPlausibility: Double?

    @Option(name: .customLong("arithmetic-correction-floor"),
            help: "Lowest probability of a value other than the classifier's own reading that an equation may settle a field on (calibration sweeps).")
    var arithmeticCorrectionFloor: Double?

    @Option(name: .customLong("arithmetic-own-reading-floor"),
            help: "Lowest probability of the classifier's own reading that an equation may settle a field on (calibration sweeps).")
    var arithmeticOwnReadingFloor: Double?

    @Option(name: .customLong("classifier-floor"),
            help: "Per-digit probability of the classifier at which it counts as sure beside an agreeing reader (calibration sweeps).")
    var classifierFloor: Double?

    @Option(name: .customLong("arithmetic-companion-floor"),
            help: "Lowest probability of the classifier's own reading of the other open fields of an equation that corrects a field (calibration sweeps; 0 turns it off).")
    var arithmeticCompanionFloor: Double?

    @Option(name: .customLong("arithmetic-pair-exponent"),
            help: "Power to which the product of two compensating misreads' probability ratios is raised before it is held against the margin (calibration sweeps; 1 weighs them as independent, 0 or less turns the check off).")
    var arithmeticPairExponent: Double?

    @Option(name: .customLong("tesseract-overrule-floor"),
            help: "Lowest probability of the classifier's own reading of a field on which a balancing equation may overrule Tesseract (calibration sweeps; above 1 turns it off).")
    var tesseractOverruleFloor: Double?

    @Option(name: .customLong("line-reader-floor"),
            help: "Lowest confidence of the handwriting line reader beside an agreeing classifier (calibration sweeps; above 1 turns its say off).")
    var lineReaderFloor: Double?

    @Option(name: .customLong("free-hand-line-floor"),
            help: "The same in a free-hand cell (calibration sweeps; above 1 turns its say there off).")
    var freeHandLineFloor: Double?

    @Option(name: .customLong("line-companion-floor"),
            help: "Lowest probability of the classifier beside an agreeing line reader, on a field an equation checks (calibration sweeps).")
    var lineCompanionFloor: Double?

    @Option(name: .customLong("line-companion-unchecked-floor"),
            help: "The same on a field no equation checks (calibration sweeps).")
    var lineCompanionUncheckedFloor: Double?

    @Option(name: .customLong("line-sure-unchecked-floor"),
            help: "Lowest confidence of the line reader at which, on a boxed field no equation checks, the classifier needs only the line companion floor (calibration sweeps; above 1 turns it off).")
    var lineSureUncheckedFloor: Double?

    @Option(name: .customLong("line-sure-standing-floor"),
            help: "Lowest probability of the classifier beside a line reader at the sure floor for a field to keep its value when its equation breaks (calibration sweeps; above 1 turns it off).")
    var lineSureStandingFloor: Double?

    @Option(name: .customLong("line-standing-floor"),
            help: "Lowest probability of the classifier beside an agreeing line reader for a field to keep its value when its equation breaks (calibration sweeps).")
    var lineStandingFloor: Double?

    /// `rule` with every given option in place of its default.
    func apply(to rule: inout AcceptRule) {
        if let classifierAloneFloor { rule.classifierAloneFloor = classifierAloneFloor }
        if let arithmeticMargin { rule.arithmeticMargin = arithmeticMargin > 0 ? arithmeticMargin : nil }
        if let arithmeticOwnReadingFloor { rule.arithmeticOwnReadingFloor = arithmeticOwnReadingFloor }
        if let classifierFloor { rule.classifierFloor = classifierFloor }
        if let arithmeticCompanionFloor { rule.arithmeticCompanionFloor = arithmeticCompanionFloor }
        if let arithmeticPairExponent { rule.arithmeticPairExponent = arithmeticPairExponent > 0 ? arithmeticPairExponent : nil }
        if let tesseractOverruleFloor { rule.tesseractOverruleFloor = tesseractOverruleFloor }
        if let arithmeticCorrectionFloor { rule.arithmeticCorrectionFloor = arithmeticCorrectionFloor }
        if let arithmeticPlausibility { rule.arithmeticPlausibility = arithmeticPlausibility }
        if let lineReaderFloor { rule.lineReaderFloor = lineReaderFloor > 1 ? nil : lineReaderFloor }
        if let freeHandLineFloor { rule.freeHandLineFloor = freeHandLineFloor > 1 ? nil : freeHandLineFloor }
        if let lineCompanionFloor { rule.lineCompanionFloor = lineCompanionFloor }
        if let lineCompanionUncheckedFloor { rule.lineCompanionUncheckedFloor = lineCompanionUncheckedFloor }
        if let lineStandingFloor { rule.lineStandingFloor = lineStandingFloor }
        if let lineSureStandingFloor { rule.lineSureStandingFloor = lineSureStandingFloor > 1 ? nil : lineSureStandingFloor }
        if let lineSureUncheckedFloor { rule.lineSureUncheckedFloor = lineSureUncheckedFloor > 1 ? nil : lineSureUncheckedFloor }
    }
}
