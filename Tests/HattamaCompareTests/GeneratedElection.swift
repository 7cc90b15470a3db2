import Foundation
import HattamaCore

/// A generated election: protocol records read with every field accepted, and the official CSV the central
/// commission "published" with a known set of precincts altered.
struct GeneratedElection {
    static let candidates = ["votes.c1", "votes.c2", "votes.c3", "votes.c4", "votes.c5"]
    static let headers = ["Иванов", "Петров", "Сидоров", "Ахметов", "Смагулова"]

    var records: [ProtocolRecord] = []
    var csv = ""
    var mapping: ResultsMapping
    var addedVotes: Set<String> = []
    var swapped: Set<String> = []
    var missingFromOfficial: Set<String> = []
    var extraInOfficial: Set<String> = []
    /// Precincts whose protocol has a misread uncertain field, and whose protocol is inconsistent.
    var uncertainMisread: Set<String> = []
    var inconsistent: Set<String> = []
    /// Votes added per candidate key.
    var added: [String: Int] = [:]

    init(precincts: Int, seed: UInt64) {
        var rng = SeededGenerator(state: seed)
        var fields = ["Номер УИК": "", "Число избирателей": "voters_on_list", "Действительные": "ballots_valid"]
        fields["Номер УИК"] = nil
        for (header, key) in zip(Self.headers, Self.candidates) { fields[header] = key }
        mapping = ResultsMapping(precinct: PrecinctRule(column: "Номер УИК"), fields: fields, thousands: .auto)
        let ids = (1...precincts).map { String(1000 + $0 * 3) }
        var shuffled = ids.shuffled(using: &rng)
        func take(_ n: Int) -> Set<String> { Set((0..<n).map { _ in shuffled.removeLast() }) }
        addedVotes = take(12)
        swapped = take(9)
        missingFromOfficial = take(3)
        uncertainMisread = take(5)
        inconsistent = take(4)
        extraInOfficial = ["9001", "9002"]

        var lines = ["Номер УИК;Число избирателей;Действительные;" + Self.headers.joined(separator: ";") + ";Примечание"]
        for id in ids {
            var votes = Self.candidates.map { _ in Int.random(in: 0...900, using: &rng) }
            if swapped.contains(id) && votes[0] == votes[2] { votes[2] += 7 }
            let valid = votes.reduce(0, +)
            let voters = valid + Int.random(in: 200...2500, using: &rng)
            var values: [(String, Int?)] = [("voters_on_list", voters), ("ballots_valid", valid)] + zip(Self.candidates, votes).map { ($0, $1) }
            var uncertain: Set<String> = []
            if uncertainMisread.contains(id) {
                values[3].1 = votes[1] + 500   // a 1 read as 6, say: differs, but the field is uncertain
                uncertain = ["votes.c2"]
            }
            records.append(Fixtures.record(precinct: id, values, uncertain: uncertain,
                                           status: inconsistent.contains(id) ? .inconsistent : (uncertain.isEmpty ? .complete : .needsReview),
                                           sha: SHA256Digest.hex(of: Array("photo-\(id)".utf8))))
            if inconsistent.contains(id) { votes[4] += 1 } // the protocol's sum fails; official keeps the correct sum
            guard !missingFromOfficial.contains(id) else { continue }
            var published = votes
            if addedVotes.contains(id) {
                let extra = Int.random(in: 1...300, using: &rng)
                published[1] += extra
                added["votes.c2", default: 0] += extra
            }
            if swapped.contains(id) { published.swapAt(0, 2) }
            let paddedID = String(repeating: "0", count: 6 - id.count) + id
            lines.append("\(paddedID);\(Self.grouped(voters));\(valid);" + published.map(String.init).joined(separator: ";") + ";")
        }
        for id in extraInOfficial.sorted() { lines.append("\(id);1 000;10;1;2;3;2;2;добавлен") }
        csv = "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `1 234` with a no-break space for thousands, as many commissions publish.
    static func grouped(_ n: Int) -> String {
        n >= 1000 ? "\(n / 1000)\u{00A0}" + String(String(n % 1000 + 1000).dropFirst()) : String(n)
    }
}
