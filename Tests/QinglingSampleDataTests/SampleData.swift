import QinglingEvents
import QinglingSampleData

/// The default data, generated once for all tests.
enum SampleData {
    static let generator = LinxiangGenerator()
    static let events: [Event] = generator.events()
}
