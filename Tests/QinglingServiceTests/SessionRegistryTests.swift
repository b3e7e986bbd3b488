@testable import QinglingService
import Testing

/// Sessions end after `idle` without a request, and `lifetime` after sign-in however used.
struct SessionRegistryTests {
    @Test func aSessionEndsWhenIdleOrTooOld() {
        let clock = TestClock()
        let registry = SessionRegistry(idle: .seconds(30 * 60), lifetime: .seconds(12 * 60 * 60), now: { clock.now })
        let (used, csrf) = registry.begin(login: "li.weidong", credentialsVersion: 3)
        let (left, _) = registry.begin(login: "zhao.min", credentialsVersion: 1)
        let session = registry.use(used)
        #expect(session?.login == "li.weidong" && session?.credentialsVersion == 3 && session?.csrfToken == csrf)
        // Used every 29 minutes, a session outlives its idle limit ...
        for _ in 0..<3 {
            clock.advance(.seconds(29 * 60))
            #expect(registry.use(used) != nil)
        }
        // ... while the one left alone for as long has ended.
        #expect(registry.use(left) == nil)
        // Twelve hours after sign-in it ends however it is used.
        for _ in 0..<30 where registry.use(used) != nil { clock.advance(.seconds(29 * 60)) }
        #expect(clock.passed >= .seconds(12 * 60 * 60) && clock.passed < .seconds(12 * 60 * 60 + 29 * 60))
        // An ended session stays ended; logout ends one at once.
        #expect(registry.use(used) == nil)
        let (other, _) = registry.begin(login: "li.weidong", credentialsVersion: 3)
        registry.end(other)
        #expect(registry.use(other) == nil)
    }
}
