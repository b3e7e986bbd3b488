#ifndef QINGLING_PREFETCH_H
#define QINGLING_PREFETCH_H

/// Asks the processor to bring the cache line holding `address` closer, without waiting for
/// it: the fold issues these a few events ahead, so that its hash-table look-ups find their
/// slots in cache. Only a hint; never faults.
static inline void qingling_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
