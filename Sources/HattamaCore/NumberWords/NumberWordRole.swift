/// What one number word contributes to the number it is part of.
enum NumberWordRole: Sendable, Hashable {
    /// "ноль", "нөл", "cero", "zero": the whole number is 0.
    case zero
    /// 1-9.
    case unit(Int)
    /// 10-19 as one word.
    case teen(Int)
    /// 20, 30, ... 90.
    case tens(Int)
    /// 21-29 as one word (Spanish "veintiuno" ... "veintinueve").
    case tensAndUnit(Int)
    /// 100-900 as one word ("сто", "двести", "cien", "doscientos").
    case hundreds(Int)
    /// "hundred", "жүз": multiplies the unit before it by 100 (100 alone).
    case hundredMultiplier
    /// "тысяча", "мың", "mil", "thousand": multiplies the group before it by 1000 (1000 alone).
    case thousandMultiplier
    /// "and", "y": joins parts without adding to them.
    case connector
}
