@testable import QinglingService
import Testing

/// Failed logins counted per login and per client address, an IPv6 client by its /64.
struct LoginThrottleTests {
    @Test func anIPv6ClientCountsByItsNetwork() async {
        let throttle = LoginThrottle(perLogin: 5, perAddress: 20)
        for host in 1...20 { await throttle.failed(login: "nobody.\(host)", address: "2001:db8:0:1::\(String(host, radix: 16))") }
        #expect(await throttle.wait(login: "li.weidong", address: "2001:db8:0:1:ffff::9") != nil)
        #expect(await throttle.wait(login: "li.weidong", address: "2001:db8:0:2::1") == nil)
        #expect(await throttle.wait(login: "li.weidong", address: "203.0.113.5") == nil)
        #expect(LoginThrottle.counted("2001:0db8:0000:0001:0000:0000:0000:0005") == "2001:db8:0:1::/64")
        #expect(LoginThrottle.counted("203.0.113.5") == "203.0.113.5")
    }

    @Test func theTablesForgetWhoseFailuresLeftTheWindow() async {
        let clock = TestClock()
        let throttle = LoginThrottle(window: .seconds(60), now: { clock.now })
        for attempt in 0..<ServiceLimits.failuresBetweenClearing - 1 {
            await throttle.failed(login: "nobody.\(attempt)", address: "198.51.100.\(attempt % 200)")
        }
        #expect(await throttle.tracked == (ServiceLimits.failuresBetweenClearing - 1, 200))
        clock.advance(.seconds(61))
        await throttle.failed(login: "li.weidong", address: "203.0.113.5")
        #expect(await throttle.tracked == (1, 1))
        #expect(await throttle.wait(login: "nobody.1", address: "198.51.100.1") == nil)
    }
}
