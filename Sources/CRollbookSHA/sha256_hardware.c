// SHA-256 block compression (FIPS 180-4) with the x86 SHA extensions (SHA-NI).
//
// The functions that use the instructions carry __attribute__((target(...))), so the rest of the
// package is compiled for the baseline CPU and no unsafe flags are needed; the Swift caller asks
// rollbook_sha256_hardware_available() (cpuid) once and otherwise uses its portable compression.
// Other architectures get the portable Swift code: there, availability is always 0.

#include "CRollbookSHA.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

int rollbook_sha256_hardware_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const int ssse3 = (ecx >> 9) & 1;
    const int sse41 = (ecx >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const int sha = (ebx >> 29) & 1;
    return ssse3 && sse41 && sha;
}

// The round constants K0…K63, four to a vector.
static const uint32_t rollbook_sha256_k[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROLLBOOK_SHA_TARGET __attribute__((target("sha,sse4.1")))

// Four rounds: the message words plus their constants, two rounds at a time.
#define ROLLBOOK_SHA_ROUNDS4(words, group)                                                       \
    do {                                                                                         \
        __m128i wk = _mm_add_epi32((words), _mm_load_si128((const __m128i *)&rollbook_sha256_k[4 * (group)])); \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);                                            \
        wk = _mm_shuffle_epi32(wk, 0x0E);                                                        \
        abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);                                            \
    } while (0)

// The message schedule for the next four words W[t…t+3], in place of W[t-16…t-13]:
// W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16].
#define ROLLBOOK_SHA_SCHEDULE(w16, w12, w8, w4)                                                  \
    (w16) = _mm_sha256msg2_epu32(                                                                \
        _mm_add_epi32(_mm_sha256msg1_epu32((w16), (w12)), _mm_alignr_epi8((w4), (w8), 4)), (w4))

ROLLBOOK_SHA_TARGET
void rollbook_sha256_hardware_compress(uint32_t state[8], const void *input, size_t blocks) {
    const uint8_t *data = (const uint8_t *)input;
    // Big-endian words from the message bytes.
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

    // The instructions keep the state as ABEF and CDGH (highest lane first).
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

    while (blocks > 0) {
        const __m128i savedABEF = abef;
        const __m128i savedCDGH = cdgh;

        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), byteSwap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), byteSwap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), byteSwap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), byteSwap);

        ROLLBOOK_SHA_ROUNDS4(w0, 0);
        ROLLBOOK_SHA_ROUNDS4(w1, 1);
        ROLLBOOK_SHA_ROUNDS4(w2, 2);
        ROLLBOOK_SHA_ROUNDS4(w3, 3);
        for (int group = 4; group < 16; group += 4) {
            ROLLBOOK_SHA_SCHEDULE(w0, w1, w2, w3);
            ROLLBOOK_SHA_ROUNDS4(w0, group);
            ROLLBOOK_SHA_SCHEDULE(w1, w2, w3, w0);
            ROLLBOOK_SHA_ROUNDS4(w1, group + 1);
            ROLLBOOK_SHA_SCHEDULE(w2, w3, w0, w1);
            ROLLBOOK_SHA_ROUNDS4(w2, group + 2);
            ROLLBOOK_SHA_SCHEDULE(w3, w0, w1, w2);
            ROLLBOOK_SHA_ROUNDS4(w3, group + 3);
        }

        abef = _mm_add_epi32(abef, savedABEF);
        cdgh = _mm_add_epi32(cdgh, savedCDGH);
        data += 64;
        blocks -= 1;
    }

    // Back to H0…H7 in order.
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

ROLLBOOK_SHA_TARGET
void rollbook_sha256_hardware_hash(const void *data, size_t count, uint32_t digest[8]) {
    static const uint32_t initial[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    memcpy(digest, initial, sizeof initial);
    const size_t blocks = count / 64;
    const size_t rest = count % 64;
    if (blocks > 0) rollbook_sha256_hardware_compress(digest, data, blocks);
    // The last bytes, 0x80, zeros and the length in bits (big-endian) fill one or two blocks.
    uint8_t tail[128];
    memset(tail, 0, sizeof tail);
    if (rest > 0) memcpy(tail, (const uint8_t *)data + blocks * 64, rest);
    tail[rest] = 0x80;
    const size_t tailBlocks = rest < 56 ? 1 : 2;
    const uint64_t bits = (uint64_t)count << 3;
    for (int i = 0; i < 8; i++) tail[tailBlocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
    rollbook_sha256_hardware_compress(digest, tail, tailBlocks);
}

#else

int rollbook_sha256_hardware_available(void) { return 0; }

void rollbook_sha256_hardware_hash(const void *data, size_t count, uint32_t digest[8]) {
    (void)data;
    (void)count;
    (void)digest;
}

void rollbook_sha256_hardware_compress(uint32_t state[8], const void *input, size_t blocks) {
    (void)state;
    (void)input;
    (void)blocks;
}

#endif
