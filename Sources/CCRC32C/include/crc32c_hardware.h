#ifndef QINGLING_CRC32C_HARDWARE_H
#define QINGLING_CRC32C_HARDWARE_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor computes CRC-32C in hardware (x86-64 SSE4.2, or the ARMv8 CRC32
/// extension).
int qingling_crc32c_hardware_available(void);

/// Continues a CRC-32C over `count` bytes with the processor's instruction. `crc` is the running
/// value before the final inversion (start with 0xFFFFFFFF, invert at the end). Call only when
/// `qingling_crc32c_hardware_available()` says so.
uint32_t qingling_crc32c_hardware_update(uint32_t crc, const void *bytes, size_t count);

#endif
