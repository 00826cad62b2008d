// SHA-256 compression with the CPU's SHA instructions, for RollbookLog's SHA256 (which keeps its
// portable Swift compression as the fallback and the reference).
//
// Nothing here is compiled with special flags: the instructions are enabled per function with a
// target attribute, and callers must ask rollbook_sha256_hardware_available() first.
#ifndef CROLLBOOKSHA_H
#define CROLLBOOKSHA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU has the SHA-256 instructions the hardware compression uses (x86 SHA-NI with
/// SSSE3 and SSE4.1), else 0. Asks the CPU (cpuid) every time; cache the answer.
int rollbook_sha256_hardware_available(void);

/// Compresses `blocks` consecutive 64-byte blocks at `input` into the eight chaining words
/// `state[0..8)` (H0…H7 as numbers, not bytes). Only call it when
/// rollbook_sha256_hardware_available() returned 1; elsewhere it does nothing.
void rollbook_sha256_hardware_compress(uint32_t state[8], const void *input, size_t blocks);

/// The SHA-256 of the `count` bytes at `data`, padding included, as the eight chaining words
/// H0…H7 (numbers, not bytes). Only call it when rollbook_sha256_hardware_available() returned 1;
/// elsewhere it leaves `digest` untouched.
void rollbook_sha256_hardware_hash(const void *data, size_t count, uint32_t digest[8]);

#ifdef __cplusplus
}
#endif

#endif
