/* A C client of libdmaslip: drives the regime controller through calm -> storm -> calm -> a repeated storm under
 * deadline pressure -> calm, one update per 100 ms window, prints every transition with its policy, checks that the
 * regimes and policies are sane, and times a million updates. Exit 0 when every check holds, 1 otherwise.
 *
 *   scripts/build-native.sh out
 *   cc -O2 -std=c11 -Iout examples/c/calm_storm_calm.c -Lout -ldmaslip -Wl,-rpath,"$PWD/out" -o calm_storm_calm
 *   ./calm_storm_calm            (or ./calm_storm_calm config.json: any config `dmaslip controller validate` accepts)
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dmaslip.h"

static const char *const regime_names[] = {"MAP_STABLE", "PRESSURE_WATCH", "FLUSH_STORM", "SAFE_DMA_CONTAIN"};
static int failures = 0;

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "FAILED: %s\n", what);
    failures++;
  }
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)n + 1);
  size_t got = fread(text, 1, (size_t)n, f);
  text[got] = '\0';
  fclose(f);
  return text;
}

static void print_policy(const dmaslip_policy *p) {
  printf("  cap %s%.0f/s pacing %.2f burst ", isinf(p->replace_rate_cap_per_s) ? "inf " : "",
         isinf(p->replace_rate_cap_per_s) ? 0.0 : p->replace_rate_cap_per_s, p->pacing_factor);
  if (p->max_child_burst == INT32_MAX) printf("uncapped"); else printf("%d", p->max_child_burst);
  printf(" spacing %lld ns catch-up %s routing %s completion %s\n", (long long)p->min_spacing_ns,
         p->catch_up_mode ? "bounded" : "panic", p->routing ? "low-pressure" : "any",
         p->completion ? "conservative" : "normal");
}

/* One phase: `seconds` of 100 ms windows at the given signal levels; returns the highest regime seen. */
static int run_phase(dmaslip_controller *c, int64_t *ts, const char *name, double seconds, double dfi, double djs,
                     double pso, int32_t recurrence, double deadline, int *last_regime) {
  int highest = -1;
  for (int i = 0; i < (int)(seconds * 10); i++) {
    *ts += 100000000; /* 100 ms */
    int32_t r = dmaslip_controller_update(c, *ts, dfi, djs, pso, recurrence, deadline);
    if (r < 0) {
      fprintf(stderr, "update failed: %s\n", dmaslip_last_error());
      failures++;
      return highest;
    }
    if (r != *last_regime) {
      dmaslip_policy p;
      check(dmaslip_controller_policy(c, &p) == 0, "policy returns 0");
      printf("%-6s t=%6.1f s  %s -> %s\n", name, *ts / 1e9, regime_names[*last_regime], regime_names[r]);
      print_policy(&p);
      *last_regime = r;
    }
    if (r > highest) highest = r;
  }
  return highest;
}

int main(int argc, char **argv) {
  char *config = argc > 1 ? read_file(argv[1]) : NULL;
  if (argc > 1 && !config) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 3;
  }

  /* A bad config is refused with a reason, not a crash. */
  check(dmaslip_controller_create("{\"watch\": {\"enter\": {\"dfi\": \"high\"}}}") == NULL, "a bad config returns NULL");
  check(strlen(dmaslip_last_error()) > 0, "a bad config sets dmaslip_last_error");
  printf("bad config refused: %s\n", dmaslip_last_error());

  dmaslip_controller *c = dmaslip_controller_create(config);
  if (!c) {
    fprintf(stderr, "create failed: %s\n", dmaslip_last_error());
    return 1;
  }
  check(strcmp(dmaslip_last_error(), "") == 0, "no error after a good create");
  check(dmaslip_controller_update(NULL, 0, 0, 0, 0, 0, 0) < 0, "update on NULL is an error");
  check(dmaslip_controller_policy(c, NULL) != 0, "policy into NULL is an error");

  dmaslip_policy p;
  check(dmaslip_controller_policy(c, &p) == 0, "policy returns 0");
  check(isinf(p.replace_rate_cap_per_s) && p.max_child_burst == INT32_MAX && p.catch_up_mode == 0,
        "MAP_STABLE policy is uncapped");

  int64_t ts = 0;
  int regime = 0;
  /* calm: DFI 10, DJS 1.0, PSO 1.1 */
  int calm = run_phase(c, &ts, "calm", 30, 10, 1.0, 1.1, 0, 0.1, &regime);
  check(calm == 0, "calm stays MAP_STABLE");
  /* storm: DFI 95 with DJS and PSO corroborating, first storm of the hour, deadlines slack */
  int storm = run_phase(c, &ts, "storm", 60, 95, 5.0, 3.0, 0, 0.2, &regime);
  check(storm == 2, "a sustained storm reaches FLUSH_STORM (and not SAFE_DMA_CONTAIN without recurrence)");
  check(dmaslip_controller_policy(c, &p) == 0 && regime == 2, "still in FLUSH_STORM at the storm's end");
  check(!isinf(p.replace_rate_cap_per_s) && p.max_child_burst < INT32_MAX && p.min_spacing_ns > 0 &&
            p.catch_up_mode == 1 && p.routing == 1,
        "FLUSH_STORM policy caps replaces and bursts, spaces children, bounded catch-up, low-pressure routing");
  int after = run_phase(c, &ts, "calm", 180, 10, 1.0, 1.1, 0, 0.1, &regime);
  (void)after;
  check(regime == 0, "back to MAP_STABLE after the storm");
  /* a second storm within the hour with deadlines at risk */
  int repeat = run_phase(c, &ts, "repeat", 60, 95, 5.0, 3.0, 2, 0.9, &regime);
  check(repeat == 3, "a repeated storm under deadline pressure reaches SAFE_DMA_CONTAIN");
  check(dmaslip_controller_policy(c, &p) == 0 && p.completion == 1 && p.routing == 1,
        "SAFE_DMA_CONTAIN completes conservatively on low-pressure paths");
  run_phase(c, &ts, "calm", 300, 10, 1.0, 1.1, 0, 0.1, &regime);
  check(regime == 0, "back to MAP_STABLE at the end");
  check(dmaslip_controller_policy(c, &p) == 0 && isinf(p.replace_rate_cap_per_s), "calm policy again");

  /* Cost of one update through the ABI: a million 10 ms windows over a 10 s calm/storm wave (the sin() is inside
     the timed loop; bench/native-update.sh measures the update alone). */
  enum { N = 1000000 };
  struct timespec t0, t1;
  int32_t sink = 0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0; i < N; i++) {
    ts += 10000000;
    double phase = 0.5 + 0.5 * sin(i * (2 * 3.141592653589793 / 1024));
    sink += dmaslip_controller_update(c, ts, 100 * phase, 6 * phase, 1 + 2.5 * phase, phase > 0.9 ? 2 : 1, phase);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / N;
  printf("%d updates through the C ABI: %.1f ns/update incl. the signal's sin() (regime sum %d)\n", N, ns, sink);

  dmaslip_controller_destroy(c);
  free(config);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
