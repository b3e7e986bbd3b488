#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The words for the `errno` values the log meets, in English and Chinese: one table for
/// `LogError`'s descriptions and the command line's messages.
public enum SystemErrorWords {
    /// What `code` means in English: the table's words, else the system's (`strerror`).
    public static func english(_ code: Int32) -> String {
        words[code]?.english ?? String(cString: strerror(code)).lowercased()
    }

    /// What `code` means in Chinese: the table's words, else "系统错误".
    public static func chinese(_ code: Int32) -> String {
        words[code]?.chinese ?? "系统错误"
    }

    private static let words: [Int32: (english: String, chinese: String)] = [
        EPERM: ("operation not permitted", "操作不允许"),
        ENOENT: ("no such file or directory", "没有这个文件或目录"),
        EIO: ("input/output error", "输入/输出错误"),
        EACCES: ("permission denied", "权限不足"),
        EEXIST: ("file exists", "文件已存在"),
        ENOTDIR: ("not a directory", "不是目录"),
        EISDIR: ("is a directory", "是一个目录"),
        EMFILE: ("too many open files", "打开的文件过多"),
        ENOSPC: ("no space left on device", "设备上没有剩余空间"),
        EROFS: ("read-only file system", "只读文件系统"),
        ENAMETOOLONG: ("file name too long", "文件名过长"),
        ELOOP: ("too many levels of symbolic links (with O_NOFOLLOW: a symbolic link is there)", "符号链接层数过多（以 O_NOFOLLOW 打开：该处是符号链接）"),
        EDQUOT: ("disk quota exceeded", "超出磁盘配额"),
    ]
}
