/// A promise of the log that a campaign found broken, said in a sentence: the campaign stops
/// there, prints it, and exits 1.
struct BrokenPromise: Error {
    let what: String
    init(_ what: String) { self.what = what }
}
