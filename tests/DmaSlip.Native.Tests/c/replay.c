/* Parity harness: replays a signal sequence through libdmaslip and prints the regime and policy after each update.
 * Usage: replay CONFIG_JSON|- < signals.csv, one line per window: ts_ns,dfi,djs,pso,storm_recurrence,deadline_pressure
 * ("nan" is a NaN). Output, one line per input line:
 * regime,replace_rate_cap_per_s,pacing_factor,max_child_burst,min_spacing_ns,catch_up_mode,routing,completion
 * (doubles in %.17g, so they round-trip). "-" as the config uses the built-in one (NULL). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmaslip.h"

_Static_assert(sizeof(dmaslip_policy) == 48, "dmaslip_policy is 48 bytes on x86-64");

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: replay CONFIG_JSON|- < signals.csv\n");
    return 2;
  }
  char *config = NULL;
  if (strcmp(argv[1], "-") != 0) {
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
      fprintf(stderr, "cannot read %s\n", argv[1]);
      return 3;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    config = malloc((size_t)n + 1);
    config[fread(config, 1, (size_t)n, f)] = '\0';
    fclose(f);
  }
  dmaslip_controller *c = dmaslip_controller_create(config);
  if (!c) {
    fprintf(stderr, "create: %s\n", dmaslip_last_error());
    return 3;
  }
  char line[512];
  while (fgets(line, sizeof line, stdin)) {
    char *p = line;
    long long ts = strtoll(p, &p, 10);
    double dfi = strtod(p + 1, &p), djs = strtod(p + 1, &p), pso = strtod(p + 1, &p);
    long rec = strtol(p + 1, &p, 10);
    double dp = strtod(p + 1, &p);
    int32_t r = dmaslip_controller_update(c, ts, dfi, djs, pso, (int32_t)rec, dp);
    dmaslip_policy pol;
    if (r < 0 || dmaslip_controller_policy(c, &pol) != 0) {
      fprintf(stderr, "update/policy failed: %s\n", dmaslip_last_error());
      return 1;
    }
    printf("%d,%.17g,%.17g,%d,%lld,%d,%d,%d\n", r, pol.replace_rate_cap_per_s, pol.pacing_factor, pol.max_child_burst,
           (long long)pol.min_spacing_ns, pol.catch_up_mode, pol.routing, pol.completion);
  }
  dmaslip_controller_destroy(c);
  free(config);
  return 0;
}
