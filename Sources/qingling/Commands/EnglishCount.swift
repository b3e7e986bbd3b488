/// A count with its English noun in the right number: `1 event`, `2 events`, `0 events`.
/// (Chinese nouns have no plural: `1 个事件`.)
func counted(_ count: Int, _ singular: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}
