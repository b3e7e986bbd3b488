#ifndef QINGLING_CLZ4_SHIM_H
#define QINGLING_CLZ4_SHIM_H

// liblz4 from Debian's liblz4-dev: the block API, the frame API (LZ4F_*) and LZ4 HC.
#include <lz4.h>
#include <lz4hc.h>
#include <lz4frame.h>

#endif
