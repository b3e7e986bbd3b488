// The prefetch hint is an inline function of include/prefetch.h; SwiftPM needs a source file.
#include "prefetch.h"
