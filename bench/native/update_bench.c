/* Cost of one dmaslip_controller_update through the C ABI (bench/native-update.sh builds and runs it).
 *
 * The signal tape is the one RegimeControllerBenchmarks (the managed BenchmarkDotNet bench) uses: 4096 windows of a
 * slow wave (period 1024) with uniform noise, storm recurrence 2 near the crest, deadline pressure = the phase, one
 * window per 100 us; the config (bench-config.json) is the managed bench's (watch and storm confirm 0, 1 ms dwells), so the
 * controller visits every regime. The noise comes from a C LCG rather than .NET's Random: the same distribution,
 * not the same draws. Beside it, the same loop calling an exported-looking no-op through a function pointer, so the
 * difference is the controller plus the managed/native transition.
 *
 * Usage: update_bench CONFIG_JSON [N_MILLIONS=20] [REPS=5]; prints one line per rep and the median.
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dmaslip.h"

#define TAPE 4096
typedef struct { double dfi, djs, pso, dp; int32_t rec; } window;
static window tape[TAPE];

typedef int32_t (*update_fn)(dmaslip_controller *, int64_t, double, double, double, int32_t, double);

__attribute__((noinline)) static int32_t noop_update(dmaslip_controller *c, int64_t ts, double dfi, double djs,
                                                     double pso, int32_t rec, double dp) {
  (void)c;
  return ts < 0 && dfi > 0 && djs > 0 && pso > 0 && rec > 0 && dp > 0;
}

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static double run(update_fn f, dmaslip_controller *c, long n, int64_t *ts, long *regime_sum) {
  volatile update_fn call = f; /* keep the call indirect for both sides */
  long sum = 0;
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    const window *w = &tape[i & (TAPE - 1)];
    *ts += 100000;
    sum += call(c, *ts, w->dfi, w->djs, w->pso, w->rec, w->dp);
  }
  double t1 = now_ns();
  *regime_sum += sum;
  return (t1 - t0) / n;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
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

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: update_bench CONFIG_JSON [N_MILLIONS] [REPS]\n");
    return 2;
  }
  char *config = read_file(argv[1]);
  if (!config) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 3;
  }
  long n = (argc > 2 ? atol(argv[2]) : 20) * 1000000L;
  int reps = argc > 3 ? atoi(argv[3]) : 5;
  if (reps < 1 || reps > 99 || n < 1) {
    fprintf(stderr, "N_MILLIONS and REPS must be positive (REPS <= 99)\n");
    return 2;
  }
  uint64_t s = 7;
  for (int i = 0; i < TAPE; i++) {
    double phase = sin(i * 2 * 3.141592653589793 / 1024) * 0.5 + 0.5;
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    double u1 = (s >> 11) * (1.0 / 9007199254740992.0);
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    double u2 = (s >> 11) * (1.0 / 9007199254740992.0);
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    double u3 = (s >> 11) * (1.0 / 9007199254740992.0);
    tape[i] = (window){100 * phase + u1 * 10 - 5, 6 * phase + u2, 1 + 2.5 * phase + u3 * 0.3, phase, phase > 0.9 ? 2 : 1};
  }
  dmaslip_controller *c = dmaslip_controller_create(config);
  if (!c) {
    fprintf(stderr, "create failed: %s\n", dmaslip_last_error());
    return 3;
  }
  int64_t ts = 0;
  long regime_sum = 0;
  run(dmaslip_controller_update, c, n / 10, &ts, &regime_sum); /* warm-up */
  run(noop_update, c, n / 10, &ts, &regime_sum);
  double abi[99], base[99];
  for (int r = 0; r < reps; r++) {
    base[r] = run(noop_update, c, n, &ts, &regime_sum);
    abi[r] = run(dmaslip_controller_update, c, n, &ts, &regime_sum);
    printf("rep %d: no-op %.2f ns/call, dmaslip_controller_update %.2f ns/update\n", r + 1, base[r], abi[r]);
  }
  qsort(abi, reps, sizeof abi[0], cmp);
  qsort(base, reps, sizeof base[0], cmp);
  printf("median of %d x %ld calls: no-op %.2f ns, update through the C ABI %.2f ns (difference %.2f ns); "
         "regime sum %ld\n", reps, n, base[reps / 2], abi[reps / 2], abi[reps / 2] - base[reps / 2], regime_sum);
  dmaslip_controller_destroy(c);
  free(config);
  return 0;
}
