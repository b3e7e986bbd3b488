/// A person a supervision names responsible for a hazard (the enterprise's principal, the
/// department's officer): their name as the event gives it, and their person id.
public struct ResponsiblePerson: Sendable, Equatable {
    public var name: String
    public var id: String

    public init(name: String, id: String) {
        self.name = name
        self.id = id
    }

    /// How the projections write them: `name (id)`.
    public var label: String { name + " (" + id + ")" }
}
