import XCTest
@testable import HattamaCore

/// Reading numbers written in words, as the "in words" cells of protocols hold them after OCR.
final class NumberWordsTests: XCTestCase {
    private let russian = NumberWordsParser(languages: [.russian])
    private let kazakhForm = NumberWordsParser(languages: [.russian, .kazakh])
    private let spanish = NumberWordsParser(languages: [.spanish])
    private let english = NumberWordsParser(languages: [.english])

    private func value(_ parser: NumberWordsParser, _ text: String) -> Int? {
        parser.parse(text).reading?.value
    }

    // MARK: Round trips

    func testEveryNumberUpTo2000RoundTripsInEveryLanguage() {
        for language in NumberLanguage.allCases {
            let parser = NumberWordsParser(languages: [language])
            for n in 0...2000 {
                let text = NumberWordsWriter.words(n, in: language)
                let outcome = parser.parse(text)
                XCTAssertEqual(outcome.reading?.value, n, "\(language): \(text) -> \(outcome)")
                XCTAssertEqual(outcome.reading?.corrections, 0, "\(language): \(text)")
            }
        }
    }

    func testLargeNumbersRoundTripUpTo999999() {
        for language in NumberLanguage.allCases {
            let parser = NumberWordsParser(languages: [language])
            for n in stride(from: 2001, through: 999_999, by: 7919) + [999_999, 100_000, 101_001, 21_000, 1_000_000 - 1000] {
                let text = NumberWordsWriter.words(n, in: language)
                XCTAssertEqual(value(parser, text), n, "\(language): \(text)")
            }
        }
    }

    func testUpperCaseAndPunctuationAreIgnored() {
        XCTAssertEqual(value(russian, "ЧЕТЫРЕСТА ДВАДЦАТЬ ОДНА."), 421)
        XCTAssertEqual(value(russian, "(сто, двадцать - пять)"), 125)
        XCTAssertEqual(value(spanish, "CUATROCIENTOS VEINTIUNO"), 421)
        XCTAssertEqual(value(english, "Four Hundred and Twenty-One"), 421)
        XCTAssertEqual(russian.parse("ЧЕТЫРЕСТА ДВАДЦАТЬ ОДНА.").reading?.corrections, 0)
    }

    // MARK: Forms a commission writes

    func testRussianGenderAndCaseForms() {
        XCTAssertEqual(value(russian, "одна тысяча двести"), 1200)
        XCTAssertEqual(value(russian, "тысяча двести"), 1200)
        XCTAssertEqual(value(russian, "две тысячи"), 2000)
        XCTAssertEqual(value(russian, "пять тысяч один"), 5001)
        XCTAssertEqual(value(russian, "двадцать две тысячи сто"), 22_100)
        XCTAssertEqual(value(russian, "ноль"), 0)
        XCTAssertEqual(value(russian, "Ёдна"), 1)
    }

    func testKazakhWordsWithAndWithoutKazakhLetters() {
        XCTAssertEqual(value(kazakhForm, "бір мың тоғыз жүз жетпіс бес"), 1975)
        // OCR with the Russian model reads Kazakh letters as their Russian look-alikes.
        XCTAssertEqual(value(kazakhForm, "бip мын тогыз жуз жетпис бес"), 1975)
        XCTAssertEqual(value(kazakhForm, "жүз"), 100)
        XCTAssertEqual(value(kazakhForm, "мың"), 1000)
        XCTAssertEqual(value(kazakhForm, "он бес"), 15)
        XCTAssertEqual(value(kazakhForm, "екі жүз қырық"), 240)
        XCTAssertEqual(value(kazakhForm, "нөл"), 0)
        // The same parser still reads Russian.
        XCTAssertEqual(value(kazakhForm, "девятьсот сорок"), 940)
    }

    func testSpanishForms() {
        XCTAssertEqual(value(spanish, "dieciséis"), 16)
        XCTAssertEqual(value(spanish, "dieciseis"), 16)
        XCTAssertEqual(value(spanish, "veintitrés"), 23)
        XCTAssertEqual(value(spanish, "veintiún mil"), 21_000)
        XCTAssertEqual(value(spanish, "un mil doscientos"), 1200)
        XCTAssertEqual(value(spanish, "mil uno"), 1001)
        XCTAssertEqual(value(spanish, "ciento uno"), 101)
        XCTAssertEqual(value(spanish, "cien"), 100)
        XCTAssertEqual(value(spanish, "treinta y una"), 31)
        XCTAssertEqual(value(spanish, "doscientas"), 200)
        XCTAssertEqual(value(spanish, "CERO"), 0)
    }

    func testDigitByDigitSpelling() {
        // The Honduras actas have three digit boxes, and some commissions spell each box.
        XCTAssertEqual(value(spanish, "cero cero cero"), 0)
        XCTAssertEqual(value(spanish, "Cero cero uno"), 1)
        XCTAssertEqual(value(spanish, "cero tres seis"), 36)
        XCTAssertEqual(value(spanish, "CeYrocerocerYo"), 0)
        XCTAssertEqual(value(russian, "ноль два"), 2)
    }

    func testEnglishForms() {
        XCTAssertEqual(value(english, "four hundred twenty one"), 421)
        XCTAssertEqual(value(english, "one thousand and one"), 1001)
        XCTAssertEqual(value(english, "fourty two"), 42)
        XCTAssertEqual(value(english, "twelve thousand three hundred and forty-five"), 12_345)
        XCTAssertEqual(value(english, "zero"), 0)
    }

    // MARK: OCR noise

    func testMisreadLettersAreCorrectedAndCounted() {
        let reading = russian.parse("четырестa двадцагь одна").reading
        XCTAssertEqual(reading?.value, 421)
        XCTAssertEqual(reading?.corrections, 1, "the Latin a is folded; only г for т is a correction")
        XCTAssertEqual(value(spanish, "cuatrocientos veintuno"), 421)
        XCTAssertEqual(value(english, "fuor hundred and twenty-one"), 421)
        XCTAssertLessThan(reading?.confidence ?? 1, 1)
    }

    func testWordsRunTogetherOrBrokenApart() {
        XCTAssertEqual(value(russian, "стодвадцать"), 120)
        XCTAssertEqual(value(russian, "двад цать пять"), 25)
        XCTAssertEqual(russian.parse("двад цать пять").reading?.corrections, 1)
        XCTAssertEqual(value(spanish, "cuatro cientos"), 400)
        // Tesseract on italic handwriting often drops every space.
        XCTAssertEqual(russian.parse("дветысячистовосемь").reading?.value, 2108)
        XCTAssertEqual(russian.parse("дветысячистовосемь").reading?.corrections, 0)
        XCTAssertEqual(value(russian, "четырестапятьдесятдва"), 452)
        XCTAssertEqual(value(spanish, "cuatrocientosveintiuno"), 421)
    }

    func testALetterThatMatchesNoWordIsNotSkipped() {
        // "о" may be what is left of Kazakh "он" (10): skipping it would read "он үш" (13) as 3.
        XCTAssertEqual(kazakhForm.parse("о үш"), .unreadable)
    }

    func testEqualEvidenceForTwoNumbersIsReportedNotGuessed() {
        // "дезять" is one letter from both "девять" and "десять".
        XCTAssertEqual(russian.parse("дезять"), .ambiguous([9, 10]))
        XCTAssertEqual(spanish.parse("donce"), .ambiguous([11, 12]))
    }

    func testNearbyOtherNumberIsReportedAsRunnerUp() {
        let reading = russian.parse("девять").reading
        XCTAssertEqual(reading?.value, 9)
        XCTAssertEqual(reading?.runnerUp?.value, 10)
        XCTAssertEqual(reading?.runnerUp?.corrections, 1)
    }

    func testTextThatSpellsNoNumberIsUnreadable() {
        XCTAssertEqual(russian.parse(""), .unreadable)
        XCTAssertEqual(russian.parse("..."), .unreadable)
        XCTAssertEqual(russian.parse("подпись председателя"), .unreadable)
        XCTAssertEqual(russian.parse("сорок сорок"), .unreadable, "words out of order spell no number")
        XCTAssertEqual(english.parse("hundred hundred"), .unreadable)
        XCTAssertEqual(spanish.parse("cinco cero mil"), .unreadable)
    }

    /// One letter dropped from the longest word of every third number up to 2000: the right number, or a
    /// report that the text is ambiguous or unreadable, never another number without a runner-up to warn of it.
    func testOneDroppedLetterNeverGivesAnUnwarnedWrongNumber() {
        for language in NumberLanguage.allCases {
            let parser = NumberWordsParser(languages: [language])
            var right = 0
            for n in stride(from: 1, through: 2000, by: 3) {
                var words = NumberWordsWriter.words(n, in: language).split(separator: " ").map(String.init)
                guard let longest = words.indices.max(by: { words[$0].count < words[$1].count }) else { continue }
                var letters = Array(words[longest])
                letters.remove(at: letters.count / 2)
                words[longest] = String(letters)
                let outcome = parser.parse(words.joined(separator: " "))
                guard let reading = outcome.reading else { continue }
                if reading.value == n { right += 1; continue }
                XCTAssertNotNil(reading.runnerUp, "\(language) \(n): \(words) read as \(reading.value)")
            }
            XCTAssertGreaterThan(right, 630, "\(language): right \(right) of 667")
        }
    }
}
