/// One spelling of a number word and its role, spelled as `NumberWordsText.fold` leaves it.
struct NumberWord: Sendable, Hashable {
    let spelling: String
    let role: NumberWordRole
    /// The spelling as a sequence of letters, for edit distances.
    let letters: [Unicode.Scalar]

    init(_ spelling: String, _ role: NumberWordRole, language: NumberLanguage) {
        self.spelling = NumberWordsText.fold(spelling, for: language)
        self.role = role
        self.letters = Array(self.spelling.unicodeScalars)
    }
}

/// The number words of each language, with the gender and case forms protocols use.
enum NumberWordsVocabulary {
    static func words(for language: NumberLanguage) -> [NumberWord] {
        switch language {
        case .russian: return russian
        case .kazakh: return kazakh
        case .spanish: return spanish
        case .english: return english
        }
    }

    private static func make(_ language: NumberLanguage, _ entries: [(String, NumberWordRole)]) -> [NumberWord] {
        entries.map { NumberWord($0.0, $0.1, language: language) }
    }

    private static let russian = make(.russian, [
        ("ноль", .zero), ("нуль", .zero),
        ("один", .unit(1)), ("одна", .unit(1)), ("одно", .unit(1)),
        ("два", .unit(2)), ("две", .unit(2)), ("три", .unit(3)), ("четыре", .unit(4)), ("пять", .unit(5)),
        ("шесть", .unit(6)), ("семь", .unit(7)), ("восемь", .unit(8)), ("девять", .unit(9)),
        ("десять", .teen(10)), ("одиннадцать", .teen(11)), ("двенадцать", .teen(12)), ("тринадцать", .teen(13)),
        ("четырнадцать", .teen(14)), ("пятнадцать", .teen(15)), ("шестнадцать", .teen(16)),
        ("семнадцать", .teen(17)), ("восемнадцать", .teen(18)), ("девятнадцать", .teen(19)),
        ("двадцать", .tens(20)), ("тридцать", .tens(30)), ("сорок", .tens(40)), ("пятьдесят", .tens(50)),
        ("шестьдесят", .tens(60)), ("семьдесят", .tens(70)), ("восемьдесят", .tens(80)), ("девяносто", .tens(90)),
        ("сто", .hundreds(100)), ("двести", .hundreds(200)), ("триста", .hundreds(300)),
        ("четыреста", .hundreds(400)), ("пятьсот", .hundreds(500)), ("шестьсот", .hundreds(600)),
        ("семьсот", .hundreds(700)), ("восемьсот", .hundreds(800)), ("девятьсот", .hundreds(900)),
        ("тысяча", .thousandMultiplier), ("тысячи", .thousandMultiplier), ("тысяч", .thousandMultiplier),
        ("тысячу", .thousandMultiplier),
    ])

    private static let kazakh = make(.kazakh, [
        ("нөл", .zero),
        ("бір", .unit(1)), ("екі", .unit(2)), ("үш", .unit(3)), ("төрт", .unit(4)), ("бес", .unit(5)),
        ("алты", .unit(6)), ("жеті", .unit(7)), ("сегіз", .unit(8)), ("тоғыз", .unit(9)),
        ("он", .tens(10)), ("жиырма", .tens(20)), ("отыз", .tens(30)), ("қырық", .tens(40)), ("елу", .tens(50)),
        ("алпыс", .tens(60)), ("жетпіс", .tens(70)), ("сексен", .tens(80)), ("тоқсан", .tens(90)),
        ("жүз", .hundredMultiplier), ("мың", .thousandMultiplier),
    ])

    private static let spanish = make(.spanish, [
        ("cero", .zero),
        ("un", .unit(1)), ("uno", .unit(1)), ("una", .unit(1)), ("dos", .unit(2)), ("tres", .unit(3)),
        ("cuatro", .unit(4)), ("cinco", .unit(5)), ("seis", .unit(6)), ("siete", .unit(7)), ("ocho", .unit(8)),
        ("nueve", .unit(9)),
        ("diez", .teen(10)), ("once", .teen(11)), ("doce", .teen(12)), ("trece", .teen(13)), ("catorce", .teen(14)),
        ("quince", .teen(15)), ("dieciséis", .teen(16)), ("diecisiete", .teen(17)), ("dieciocho", .teen(18)),
        ("diecinueve", .teen(19)),
        ("veinte", .tens(20)), ("treinta", .tens(30)), ("cuarenta", .tens(40)), ("cincuenta", .tens(50)),
        ("sesenta", .tens(60)), ("setenta", .tens(70)), ("ochenta", .tens(80)), ("noventa", .tens(90)),
        ("veintiún", .tensAndUnit(21)), ("veintiuno", .tensAndUnit(21)), ("veintiuna", .tensAndUnit(21)),
        ("veintidós", .tensAndUnit(22)), ("veintitrés", .tensAndUnit(23)), ("veinticuatro", .tensAndUnit(24)),
        ("veinticinco", .tensAndUnit(25)), ("veintiséis", .tensAndUnit(26)), ("veintisiete", .tensAndUnit(27)),
        ("veintiocho", .tensAndUnit(28)), ("veintinueve", .tensAndUnit(29)),
        ("cien", .hundreds(100)), ("ciento", .hundreds(100)),
        ("doscientos", .hundreds(200)), ("doscientas", .hundreds(200)),
        ("trescientos", .hundreds(300)), ("trescientas", .hundreds(300)),
        ("cuatrocientos", .hundreds(400)), ("cuatrocientas", .hundreds(400)),
        ("quinientos", .hundreds(500)), ("quinientas", .hundreds(500)),
        ("seiscientos", .hundreds(600)), ("seiscientas", .hundreds(600)),
        ("setecientos", .hundreds(700)), ("setecientas", .hundreds(700)),
        ("ochocientos", .hundreds(800)), ("ochocientas", .hundreds(800)),
        ("novecientos", .hundreds(900)), ("novecientas", .hundreds(900)),
        ("mil", .thousandMultiplier), ("y", .connector),
    ])

    private static let english = make(.english, [
        ("zero", .zero), ("nil", .zero),
        ("one", .unit(1)), ("two", .unit(2)), ("three", .unit(3)), ("four", .unit(4)), ("five", .unit(5)),
        ("six", .unit(6)), ("seven", .unit(7)), ("eight", .unit(8)), ("nine", .unit(9)),
        ("ten", .teen(10)), ("eleven", .teen(11)), ("twelve", .teen(12)), ("thirteen", .teen(13)),
        ("fourteen", .teen(14)), ("fifteen", .teen(15)), ("sixteen", .teen(16)), ("seventeen", .teen(17)),
        ("eighteen", .teen(18)), ("nineteen", .teen(19)),
        ("twenty", .tens(20)), ("thirty", .tens(30)), ("forty", .tens(40)), ("fourty", .tens(40)),
        ("fifty", .tens(50)), ("sixty", .tens(60)), ("seventy", .tens(70)), ("eighty", .tens(80)),
        ("ninety", .tens(90)),
        ("hundred", .hundredMultiplier), ("thousand", .thousandMultiplier), ("and", .connector),
    ])
}
