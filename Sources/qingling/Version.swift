/// The version of `qingling`: the one place it is written (`qingling --version` prints it).
enum QinglingVersion {
    static let current = "1.0.0"
}
