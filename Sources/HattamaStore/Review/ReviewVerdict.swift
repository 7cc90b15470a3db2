/// How people's entries decide a field. Two volunteers who agree are usually right, but two identical typos
/// happen: in a simulated night of 3,647 fields with a 2% typing error rate, two volunteers typed 7 for a 0
/// twice (single-digit fields have only nine ways to be mistyped). So agreement confirms a value only when
/// something independent of the typists backs it: one of the machine's readers read that value, or the form's
/// arithmetic implies it. Otherwise one more volunteer is asked, and a value needs three people.
///
/// Support of a value = the volunteers who entered it + 1 when the machine or the arithmetic agrees.
/// A value is confirmed when at least two volunteers entered it, its support is at least
/// `votesWithoutBacking` (3 by the `backed` rule, 2 when two volunteers suffice), and no other value has as
/// much support. After `maximumEntries` volunteer entries without a verdict, a coordinator decides.
struct ReviewVerdict {
    enum Outcome: Equatable {
        /// Confirmed with this value; `decidedBy` is "agreement" (two volunteers and the machine or the
        /// arithmetic), "majority" (more entries than two), or "unanimous" (three volunteers, machine silent).
        case confirmed(LoggedValue, decidedBy: String)
        /// One more volunteer entry is needed (the task's `needed` becomes this).
        case needsEntries(Int)
        /// Entries disagree beyond what more volunteers may settle: a coordinator decides.
        case conflict
    }

    /// Volunteer entries that count, oldest first.
    var entries: [LoggedValue]
    /// Values the machine's readers read, and the value the form's arithmetic implies, if any.
    var machineValues: Set<LoggedValue>
    var policy: ConflictPolicy
    var votesWithoutBacking = 3
    var maximumEntries = 4

    var outcome: Outcome {
        if entries.count < 2 { return .needsEntries(2) }
        var votes: [LoggedValue: Int] = [:]
        for entry in entries { votes[entry, default: 0] += 1 }
        let support = votes.map { value, count in (value, count, count + (machineValues.contains(value) ? 1 : 0)) }
            .sorted { $0.2 > $1.2 }
        let best = support[0]
        let isUnique = support.count == 1 || support[1].2 < best.2
        if best.1 >= 2, best.2 >= votesWithoutBacking, isUnique {
            let decidedBy = entries.count == 2 ? "agreement" : (best.1 == entries.count ? "unanimous" : "majority")
            return .confirmed(best.0, decidedBy: decidedBy)
        }
        if entries.count >= maximumEntries { return .conflict }
        let allAgree = votes.count == 1
        // Under the coordinator policy a disagreement goes to a coordinator at once; agreement the machine does
        // not back still asks one more volunteer.
        if policy == .coordinator && !allAgree { return .conflict }
        return .needsEntries(entries.count + 1)
    }
}
