/// An election: the choices on its ballot (candidates, parties or answers) in ballot order.
public struct Election: Sendable, Equatable, Codable {
    public var id: String
    public var country: String?
    public var date: String?
    public var title: LocalizedText
    public var source: String?
    public var choices: [ElectionChoice]
}

/// One line of the ballot: the field key its votes are stored under and its name.
public struct ElectionChoice: Sendable, Equatable, Codable {
    public var key: String
    public var name: LocalizedText
}
