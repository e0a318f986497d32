/* dmaslip.h: the DmaSlip regime controller as a C library (libdmaslip.so, built by scripts/build-native.sh).
 *
 * The controller is the same code as the .NET one (DmaSlip.Controller / DmaSlip.Core.Control): MAP_STABLE ->
 * PRESSURE_WATCH -> FLUSH_STORM -> SAFE_DMA_CONTAIN with hysteresis, confirmation and dwell (docs/CONTROLLER.md).
 *
 * Threading: one controller belongs to one thread at a time (the engine's); different controllers may be used from
 * different threads. Timestamps are nanoseconds, any epoch, non-decreasing: an update older than the last one is
 * ignored (counted, state held). A NaN dfi means "no data for this window" and holds the state.
 * Enum values: routing 1 covers both of the .NET RoutingPreference values PreferLowPressure (FLUSH_STORM) and
 * ValidatedLowPressureOnly (SAFE_DMA_CONTAIN); in SAFE_DMA_CONTAIN the paths must be validated ones.
 * Errors: create returns NULL, update returns -1 for a NULL controller, policy returns -1 for a NULL argument;
 * dmaslip_last_error() then says why (the text stays valid until the next failing call on the same thread).
 */
#ifndef DMASLIP_H
#define DMASLIP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dmaslip_controller dmaslip_controller;            /* opaque */
typedef struct dmaslip_policy {
  double  replace_rate_cap_per_s;  /* +inf when uncapped */
  double  pacing_factor;
  int32_t max_child_burst;         /* INT32_MAX when uncapped */
  int64_t min_spacing_ns;
  int32_t catch_up_mode;           /* 0 panic, 1 bounded */
  int32_t routing;                 /* 0 any, 1 prefer validated low-pressure paths */
  int32_t completion;              /* 0 normal, 1 conservative */
} dmaslip_policy;
/* NULL config = the built-in config; otherwise the JSON that `dmaslip controller validate` accepts.
   Returns NULL on error; dmaslip_last_error() says why. */
dmaslip_controller *dmaslip_controller_create(const char *config_json);
/* One update; returns the regime after it: 0 MAP_STABLE, 1 PRESSURE_WATCH, 2 FLUSH_STORM,
   3 SAFE_DMA_CONTAIN; negative on error. No allocation, no lock. */
int32_t dmaslip_controller_update(dmaslip_controller *c, int64_t ts_ns, double dfi, double djs, double pso,
                                  int32_t storm_recurrence, double deadline_pressure);
int32_t dmaslip_controller_policy(const dmaslip_controller *c, dmaslip_policy *out);   /* 0 on success */
void dmaslip_controller_destroy(dmaslip_controller *c);
const char *dmaslip_last_error(void);   /* thread-local; "" when none */

#ifdef __cplusplus
}
#endif

#endif /* DMASLIP_H */
