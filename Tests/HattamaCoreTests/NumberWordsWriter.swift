@testable import HattamaCore

/// Writes numbers 0 ... 999,999 in words the way a precinct commission would, for round-trip tests of
/// `NumberWordsParser`.
enum NumberWordsWriter {
    static func words(_ n: Int, in language: NumberLanguage) -> String {
        switch language {
        case .russian: return russian(n)
        case .kazakh: return kazakh(n)
        case .spanish: return spanish(n)
        case .english: return english(n)
        }
    }

    // MARK: Russian (as tools/corpus/generate.py writes it: thousands feminine, "одна тысяча")

    private static let ruOnes = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
    private static let ruOnesFeminine = ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
    private static let ruTeens = ["десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
                                  "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"]
    private static let ruTens = ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
                                 "восемьдесят", "девяносто"]
    private static let ruHundreds = ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот",
                                     "восемьсот", "девятьсот"]

    private static func russianGroup(_ n: Int, feminine: Bool) -> [String] {
        var words = [ruHundreds[n / 100]]
        let rest = n % 100
        if (10...19).contains(rest) {
            words.append(ruTeens[rest - 10])
        } else {
            words.append(ruTens[rest / 10])
            words.append((feminine ? ruOnesFeminine : ruOnes)[rest % 10])
        }
        return words.filter { !$0.isEmpty }
    }

    private static func russian(_ n: Int) -> String {
        if n == 0 { return "ноль" }
        let (thousands, rest) = n.quotientAndRemainder(dividingBy: 1000)
        var words: [String] = []
        if thousands > 0 {
            words += russianGroup(thousands, feminine: true)
            let lastTwo = thousands % 100, last = thousands % 10
            if (11...19).contains(lastTwo) || last == 0 || last >= 5 {
                words.append("тысяч")
            } else {
                words.append(last == 1 ? "тысяча" : "тысячи")
            }
        }
        return (words + russianGroup(rest, feminine: false)).joined(separator: " ")
    }

    // MARK: Kazakh

    private static let kkOnes = ["", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"]
    private static let kkTens = ["", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"]

    private static func kazakhGroup(_ n: Int) -> [String] {
        var words: [String] = []
        if n >= 100 { words += [kkOnes[n / 100], "жүз"] }
        words += [kkTens[n % 100 / 10], kkOnes[n % 10]]
        return words.filter { !$0.isEmpty }
    }

    private static func kazakh(_ n: Int) -> String {
        if n == 0 { return "нөл" }
        let (thousands, rest) = n.quotientAndRemainder(dividingBy: 1000)
        var words: [String] = []
        if thousands > 0 { words += kazakhGroup(thousands) + ["мың"] }
        return (words + kazakhGroup(rest)).joined(separator: " ")
    }

    // MARK: Spanish

    private static let esOnes = ["", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
    private static let esTeens = ["diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete",
                                  "dieciocho", "diecinueve"]
    private static let esTwenties = ["veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco",
                                     "veintiséis", "veintisiete", "veintiocho", "veintinueve"]
    private static let esTens = ["", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
    private static let esHundreds = ["", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos",
                                     "seiscientos", "setecientos", "ochocientos", "novecientos"]

    /// `apocopated`: "un" and "veintiún" before "mil".
    private static func spanishGroup(_ n: Int, apocopated: Bool) -> [String] {
        if n == 100 { return ["cien"] }
        var words = [esHundreds[n / 100]]
        let rest = n % 100
        switch rest {
        case 0: break
        case 1...9: words.append(esOnes[rest])
        case 10...19: words.append(esTeens[rest - 10])
        case 20...29: words.append(esTwenties[rest - 20])
        default:
            words.append(esTens[rest / 10])
            if rest % 10 > 0 { words += ["y", esOnes[rest % 10]] }
        }
        if apocopated, let last = words.last {
            if last == "uno" { words[words.count - 1] = "un" }
            if last == "veintiuno" { words[words.count - 1] = "veintiún" }
        }
        return words.filter { !$0.isEmpty }
    }

    private static func spanish(_ n: Int) -> String {
        if n == 0 { return "cero" }
        let (thousands, rest) = n.quotientAndRemainder(dividingBy: 1000)
        var words: [String] = []
        if thousands == 1 {
            words.append("mil")
        } else if thousands > 1 {
            words += spanishGroup(thousands, apocopated: true) + ["mil"]
        }
        if rest > 0 { words += spanishGroup(rest, apocopated: false) }
        return words.joined(separator: " ")
    }

    // MARK: English (British "and")

    private static let enOnes = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                 "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                 "eighteen", "nineteen"]
    private static let enTens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    private static func englishGroup(_ n: Int) -> [String] {
        var words: [String] = []
        if n >= 100 {
            words += [enOnes[n / 100], "hundred"]
            if n % 100 > 0 { words.append("and") }
        }
        let rest = n % 100
        if rest >= 20 {
            words.append(rest % 10 > 0 ? "\(enTens[rest / 10])-\(enOnes[rest % 10])" : enTens[rest / 10])
        } else if rest > 0 {
            words.append(enOnes[rest])
        }
        return words
    }

    private static func english(_ n: Int) -> String {
        if n == 0 { return "zero" }
        let (thousands, rest) = n.quotientAndRemainder(dividingBy: 1000)
        var words: [String] = []
        if thousands > 0 {
            words += englishGroup(thousands) + ["thousand"]
            if rest > 0, rest < 100 { words.append("and") }
        }
        return (words + englishGroup(rest)).joined(separator: " ")
    }
}
