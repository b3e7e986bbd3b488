// The one function is inline in include/file_system_type.h; SwiftPM needs a source file.
#include "file_system_type.h"
