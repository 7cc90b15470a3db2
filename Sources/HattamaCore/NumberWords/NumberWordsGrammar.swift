/// Turns a sequence of number-word roles into the number it spells, or nil when no well-formed number does.
///
/// A number is `[group] thousand [group]` or one group, where a group under 1000 is
/// `[hundreds] [and] [teen | tens-and-unit | tens [and] [unit] | unit]`, and hundreds are one word ("сто",
/// "doscientos") or `[unit] hundred` ("four hundred", "екі жүз"). Zero stands alone, or digit words spell
/// the number digit by digit ("cero tres seis").
enum NumberWordsGrammar {
    static func value(of roles: [NumberWordRole]) -> Int? {
        guard !roles.isEmpty else { return nil }
        if roles == [.zero] { return 0 }
        if let digits = digitByDigit(roles) { return digits }
        guard !roles.contains(.zero) else { return nil }
        let thousands = roles.indices.filter { roles[$0] == .thousandMultiplier }
        guard thousands.count <= 1 else { return nil }
        guard let split = thousands.first else { return group(roles[...]) }
        let left = roles[..<split]
        var right = roles[(split + 1)...]
        // "one thousand and five", "mil y" is not Spanish but harmless.
        if right.first == .connector { right = right.dropFirst(); guard !right.isEmpty else { return nil } }
        let multiplier = left.isEmpty ? 1 : group(left)
        let rest = right.isEmpty ? 0 : group(right)
        guard let multiplier, let rest, multiplier >= 1 else { return nil }
        return multiplier * 1000 + rest
    }

    /// Two or more digit words spelling the number digit by digit, as on forms with one box per digit
    /// ("cero cero uno" for 001, seen on the Honduras actas); nil for anything else.
    private static func digitByDigit(_ roles: [NumberWordRole]) -> Int? {
        guard roles.count >= 2, roles.count <= 6 else { return nil }
        var value = 0
        for role in roles {
            switch role {
            case .zero: value *= 10
            case .unit(let digit): value = value * 10 + digit
            default: return nil
            }
        }
        return value
    }

    /// A number from 1 to 999, or nil.
    private static func group(_ roles: ArraySlice<NumberWordRole>) -> Int? {
        var rest = roles
        var total = 0
        switch (rest.first, rest.dropFirst().first) {
        case (.hundreds(let value)?, _):
            total = value
            rest = rest.dropFirst()
        case (.unit(let unit)?, .hundredMultiplier?):
            total = unit * 100
            rest = rest.dropFirst(2)
        case (.hundredMultiplier?, _):
            total = 100
            rest = rest.dropFirst()
        default:
            break
        }
        if total > 0, rest.first == .connector {
            rest = rest.dropFirst()
            guard !rest.isEmpty else { return nil }
        }
        switch rest.first {
        case .teen(let value)?, .tensAndUnit(let value)?:
            total += value
            rest = rest.dropFirst()
        case .tens(let value)?:
            total += value
            rest = rest.dropFirst()
            if rest.first == .connector {
                rest = rest.dropFirst()
                guard case .unit? = rest.first else { return nil }
            }
            if case .unit(let unit)? = rest.first {
                total += unit
                rest = rest.dropFirst()
            }
        case .unit(let unit)?:
            total += unit
            rest = rest.dropFirst()
        default:
            break
        }
        guard rest.isEmpty, total > 0 else { return nil }
        return total
    }
}
