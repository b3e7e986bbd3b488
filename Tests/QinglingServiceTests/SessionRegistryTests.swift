@testable import QinglingService
import Testing

/// Sessions end after `idle` without a request, and `lifetime` after sign-in however used.
struct SessionRegistryTests {
    @Test func aSessionEndsWhenIdleOrTooOld() async throws {
        let registry = SessionRegistry(idle: .seconds(1), lifetime: .milliseconds(2_500))
        let (used, csrf) = registry.begin(login: "li.weidong", credentialsVersion: 3)
        let (left, _) = registry.begin(login: "zhao.min", credentialsVersion: 1)
        let session = try #require(registry.use(used))
        #expect(session.login == "li.weidong" && session.credentialsVersion == 3 && session.csrfToken == csrf)
        // Used every 0.3 s, a session outlives its idle limit ...
        for _ in 0..<5 {
            try await Task.sleep(for: .milliseconds(300))
            #expect(registry.use(used) != nil)
        }
        // ... while the one left alone for as long has ended.
        #expect(registry.use(left) == nil)
        // Past its lifetime it ends however it is used.
        while true {
            try await Task.sleep(for: .milliseconds(300))
            guard registry.use(used) != nil else { break }
        }
        #expect(ContinuousClock.now - session.began >= .milliseconds(2_500))
        // An ended session stays ended; logout ends one at once.
        #expect(registry.use(used) == nil)
        let (other, _) = registry.begin(login: "li.weidong", credentialsVersion: 3)
        registry.end(other)
        #expect(registry.use(other) == nil)
    }
}
