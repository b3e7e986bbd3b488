import QinglingService
import Testing

/// The forms of an address a proxy forwards or a socket shows, as the service compares them.
struct ClientAddressTests {
    @Test(arguments: [
        ("203.0.113.5", "203.0.113.5"), ("203.0.113.5:41234", "203.0.113.5"),
        ("2001:db8::1", "2001:db8::1"), ("[2001:db8::1]:443", "2001:db8::1"), ("[2001:db8::1]", "2001:db8::1"),
        ("2001:0db8:0000::0001", "2001:db8::1"), ("::ffff:10.0.0.2", "10.0.0.2"), ("::1", "::1"),
    ])
    func anAddressIsComparedInOneForm(text: String, normalized: String) {
        #expect(ServiceConfiguration.normalizedAddress(text) == normalized)
    }

    @Test(arguments: ["", "unknown", "203.0.113", "203.0.113.5:port", "[2001:db8::1", "localhost", "1.2.3.4, 5.6.7.8"])
    func whatIsNoAddressIsNone(text: String) {
        #expect(ServiceConfiguration.normalizedAddress(text) == nil)
    }
}
