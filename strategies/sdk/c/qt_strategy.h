/*
 * Quant-Trader strategy ABI v1 for C (see docs/strategy-abi.md).
 *
 * A strategy is a wasm32 module exporting `memory`, qt_abi_version, qt_alloc, qt_init and
 * qt_on_bars, and importing nothing but qt.log. Build freestanding, e.g.:
 *
 *   clang --target=wasm32 -nostdlib -ffreestanding -fno-builtin -O2 \
 *         -Wl,--no-entry -Wl,--export=qt_abi_version -Wl,--export=qt_alloc \
 *         -Wl,--export=qt_init -Wl,--export=qt_on_bars -o my.wasm my.c
 *
 * There is no libc: no malloc, printf, time or rand (the host would refuse their imports).
 * Define QT_BUMP_ALLOCATOR before including this header to get a qt_alloc that hands out
 * 8-byte aligned blocks above the data and stack and never frees them, which is all the
 * host needs: it allocates its bar and output buffers once and reuses them.
 */
#ifndef QT_STRATEGY_H
#define QT_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

#define QT_ABI_VERSION 1

/* Status codes. 0 is success; any other value fails the call (qt_init: init_failed,
 * qt_on_bars: bad_output) and is shown to the strategy's owner. */
#define QT_OK 0
#define QT_ERR_PARAM_COUNT 1 /* qt_init got a different number of params than the manifest declares */
#define QT_ERR_PARAM_VALUE 2 /* a param value the module cannot work with (e.g. fast >= slow) */
#define QT_ERR_STATE 3       /* qt_on_bars called before a successful qt_init */

/* One bar: six little-endian f64, in this order. */
typedef struct qt_bar {
    double open_time_ms; /* the bar's open time, epoch milliseconds (an integer value) */
    double open;
    double high;
    double low;
    double close;
    double volume;
} qt_bar;

_Static_assert(sizeof(qt_bar) == 48, "a bar is six f64");

/* "Keep the current position": the exposure to write when nothing should change. */
#define QT_KEEP (__builtin_nan(""))

#define QT_EXPORT(name) __attribute__((export_name(#name)))

/* The one import: a UTF-8 message for the strategy's owner. The host keeps at most a few
 * hundred bytes of it and a few messages per call (the rest are dropped). */
__attribute__((import_module("qt"), import_name("log"))) void qt_log(const char *ptr, int32_t len);

/* The exports every strategy defines. */
QT_EXPORT(qt_abi_version) int32_t qt_abi_version(void);
QT_EXPORT(qt_alloc) int32_t qt_alloc(int32_t size);
/* params: n_params f64 in manifest order, already checked against the manifest's bounds. */
QT_EXPORT(qt_init) int32_t qt_init(const double *params, int32_t n_params);
/* bars: n bars, oldest first; out: n exposures in [-1, 1] (fraction of equity), QT_KEEP = keep.
 * One call with n bars must write exactly what n calls with one bar each would. */
QT_EXPORT(qt_on_bars) int32_t qt_on_bars(const qt_bar *bars, int32_t n, double *out);

#define QT_DEFINE_ABI_VERSION \
    int32_t qt_abi_version(void) { return QT_ABI_VERSION; }

#ifdef QT_BUMP_ALLOCATOR
extern unsigned char __heap_base;
static uintptr_t qt__heap;

int32_t qt_alloc(int32_t size) {
    if (size < 0) return 0;
    if (!qt__heap) qt__heap = (uintptr_t)&__heap_base;
    uintptr_t ptr = (qt__heap + 7u) & ~(uintptr_t)7u;
    uintptr_t end = ptr + (uint32_t)size;
    if (end < ptr) return 0;
    uintptr_t have = (uintptr_t)__builtin_wasm_memory_size(0) * 65536u;
    if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535u) / 65536u) == (size_t)-1) return 0;
    qt__heap = end;
    return (int32_t)ptr;
}
#endif

#endif /* QT_STRATEGY_H */
