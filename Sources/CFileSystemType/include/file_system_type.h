#ifndef QINGLING_FILE_SYSTEM_TYPE_H
#define QINGLING_FILE_SYSTEM_TYPE_H

#include <sys/vfs.h>

/// The type of the file system holding the open file `descriptor` (`statfs(2)`'s `f_type`, a
/// magic number such as 0xEF53 for ext4), or -1 when it cannot be told. Swift's Glibc module
/// does not export `fstatfs`.
static inline long qingling_file_system_type(int descriptor) {
    struct statfs facts;
    return fstatfs(descriptor, &facts) == 0 ? (long)facts.f_type : -1;
}

#endif
