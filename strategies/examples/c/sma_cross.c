/*
 * SMA crossover in C: long while SMA(fast) of the close is above SMA(slow), flat below
 * (short with allow_short). Params, in manifest order: fast, slow, allow_short.
 *
 * It makes the same decisions as the Python reference (backend/engine/strategies,
 * SmaCross): each bar is decided from exactly the last `slow` closes, and both averages are
 * summed in the order TA-Lib's SMA sums them over that window (a running total started at
 * the window's first close), so even ties and near-ties come out bit for bit the same.
 * Because every decision depends only on that window, any split of the bars into calls
 * gives the same outputs.
 */
#define QT_BUMP_ALLOCATOR
#include "qt_strategy.h"

#define MAX_SLOW 1000

static int32_t fast, slow, allow_short, ready;
static double ring[MAX_SLOW]; /* the last `slow` closes; ring[head] is the oldest once full */
static int32_t head, seen;

QT_DEFINE_ABI_VERSION

int32_t qt_init(const double *params, int32_t n_params) {
    if (n_params != 3) return QT_ERR_PARAM_COUNT;
    fast = (int32_t)params[0];
    slow = (int32_t)params[1];
    allow_short = params[2] == 1.0;
    if (fast < 1 || slow > MAX_SLOW || fast >= slow) return QT_ERR_PARAM_VALUE;
    head = seen = 0;
    ready = 1;
    return QT_OK;
}

static inline double at(int32_t i) { /* i-th oldest close of the window */
    int32_t j = head + i;
    return ring[j >= slow ? j - slow : j];
}

/* TA-Lib's SMA(period) at the window's last close: sum the first `period` closes, then
 * slide (add the next close, drop the oldest) to the end. */
static double sma_last(int32_t period) {
    double total = 0.0;
    for (int32_t i = 0; i < period - 1; i++) total += at(i);
    double value = 0.0;
    int32_t trailing = 0;
    for (int32_t i = period - 1; i < slow; i++) {
        total += at(i);
        value = total;
        total -= at(trailing++);
    }
    return value / (double)period;
}

int32_t qt_on_bars(const qt_bar *bars, int32_t n, double *out) {
    if (!ready) return QT_ERR_STATE;
    for (int32_t k = 0; k < n; k++) {
        if (seen < slow) {
            ring[seen++] = bars[k].close;
            if (seen < slow) {
                out[k] = QT_KEEP; /* NaN: still warming up */
                continue;
            }
        } else {
            ring[head] = bars[k].close; /* overwrite the oldest */
            head = head + 1 == slow ? 0 : head + 1;
        }
        double f = sma_last(fast), s = sma_last(slow);
        out[k] = f > s ? 1.0 : (f < s && allow_short ? -1.0 : 0.0);
    }
    return QT_OK;
}
