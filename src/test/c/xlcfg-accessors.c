/* Probe of libxlutil's accessors (Xen 4.17) and of the C number conversions xl uses, for
 * comparing with xldt's value API.
 *   xlcfg-accessors FILE NAME...   one JSON line per NAME:
 *     {"name":..,"string":[rc,value,warn],"long":[rc,value,warn],"bounded":[rc,value,warn],
 *      "defbool":[rc,value,warn],"list":[rc,count,warn],"strlist":[rc,[items],warn]}
 *     bounded uses min -100, max 1000; warn is what libxlutil printed (or "").
 *   xlcfg-accessors --batch NAME,NAME,... FILE...   the same for many files, in order
 *     (a file that does not parse prints {"parse":rc}).
 *   xlcfg-accessors --cnum STRING...   one JSON line per STRING:
 *     {"strtol0":[value,end,erange],"strtoul10":[value,end,erange],"iomem":[ret,a,b,c,used]}
 *     iomem is xl's sscanf(buf, "%lx,%lx%n@%lx%n") for iomem= entries (used = -1 if unset).
 *   xlcfg-accessors --enums STRING...   one JSON line per STRING: libxl's *_from_string for
 *     {"gic_version":rc,"tee":rc,"vuart":rc,"passthrough":rc} (0 = accepted) and the value.
 * Strings are printed with every byte >= 0x80 and < 0x20 escaped as \u00XX (Latin-1).
 * Build: cc -O2 -o xlcfg-accessors xlcfg-accessors.c -lxlutil -lxenlight
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxlutil.h>

/* libxlutil's private struct layout (Xen 4.17), as in xlcfg-oracle.c: swap the report FILE. */
struct XLU_Config_ { void *settings; FILE *report; char *config_source; };

static void jstr(const char *s) {
    if (!s) { fputs("null", stdout); return; }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

static char *buf; static size_t len; static FILE *mem;
static void begin(XLU_Config *cfg) { mem = open_memstream(&buf, &len); ((struct XLU_Config_ *)cfg)->report = mem; }
static void end(void) { fclose(mem); jstr(buf); free(buf); }

static void probe(XLU_Config *cfg, const char *n) {
    const char *s = NULL; long l = 0; libxl_defbool b; XLU_ConfigList *list; int count = 0, rc;
    libxl_string_list sl = NULL;
    printf("{\"name\":"); jstr(n);
    begin(cfg); rc = xlu_cfg_get_string(cfg, n, &s, 0); printf(",\"string\":[%d,", rc); jstr(rc ? NULL : s); putchar(','); end(); putchar(']');
    begin(cfg); rc = xlu_cfg_get_long(cfg, n, &l, 0); printf(",\"long\":[%d,%ld,", rc, rc ? 0 : l); end(); putchar(']');
    l = 0;
    begin(cfg); rc = xlu_cfg_get_bounded_long(cfg, n, -100, 1000, &l, 0); printf(",\"bounded\":[%d,%ld,", rc, rc ? 0 : l); end(); putchar(']');
    libxl_defbool_unset(&b);
    begin(cfg); rc = xlu_cfg_get_defbool(cfg, n, &b, 0); printf(",\"defbool\":[%d,%d,", rc, rc ? 0 : libxl_defbool_val(b)); end(); putchar(']');
    begin(cfg); rc = xlu_cfg_get_list(cfg, n, &list, &count, 0); printf(",\"list\":[%d,%d,", rc, rc ? 0 : count); end(); putchar(']');
    begin(cfg); rc = xlu_cfg_get_list_as_string_list(cfg, n, &sl, 0); printf(",\"strlist\":[%d,[", rc);
    if (!rc) { for (int i = 0; i < count; i++) { if (i) putchar(','); jstr(sl[i]); } }
    printf("],"); end(); printf("]}\n");
}

static void cnum(const char *str) {
    char *ep; long v; unsigned long u; int e;
    errno = 0; v = strtol(str, &ep, 0); e = errno;
    printf("{\"strtol0\":[%ld,%d,%s]", v, (int)(ep - str), e == ERANGE ? "true" : "false");
    errno = 0; u = strtoul(str, &ep, 10); e = errno;
    printf(",\"strtoul10\":[%ld,%d,%s]", (long)u, (int)(ep - str), e == ERANGE ? "true" : "false");
    uint64_t a = 0, b = 0, c = 0; int used = -1;
    int ret = sscanf(str, "%" SCNx64 ",%" SCNx64 "%n@%" SCNx64 "%n", &a, &b, &used, &c, &used);
    printf(",\"iomem\":[%d,%ld,%ld,%ld,%d]}\n", ret, (long)a, (long)b, (long)c, used);
}

static void enums(const char *s) {
    libxl_gic_version g = 0; libxl_tee_type t = 0; libxl_vuart_type v = 0; libxl_passthrough p = 0;
    int a = libxl_gic_version_from_string(s, &g), b = libxl_tee_type_from_string(s, &t);
    int c = libxl_vuart_type_from_string(s, &v), d = libxl_passthrough_from_string(s, &p);
    printf("{\"gic_version\":[%d,%d],\"tee\":[%d,%d],\"vuart\":[%d,%d],\"passthrough\":[%d,%d]}\n",
           a, a ? -1 : (int)g, b, b ? -1 : (int)t, c, c ? -1 : (int)v, d, d ? -1 : (int)p);
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "--enums")) {
        for (int i = 2; i < argc; i++) enums(argv[i]);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "--cnum")) {
        for (int i = 2; i < argc; i++) cnum(argv[i]);
        return 0;
    }
    if (argc >= 3 && !strcmp(argv[1], "--batch")) {
        for (int f = 3; f < argc; f++) {
            XLU_Config *cfg = xlu_cfg_init(stderr, argv[f]);
            int rc = xlu_cfg_readfile(cfg, argv[f]);
            if (rc) { printf("{\"parse\":%d}\n", rc); xlu_cfg_destroy(cfg); continue; }
            char *names = strdup(argv[2]);
            for (char *n = strtok(names, ","); n; n = strtok(NULL, ",")) probe(cfg, n);
            free(names);
            xlu_cfg_destroy(cfg);
        }
        return 0;
    }
    if (argc < 2) { fprintf(stderr, "usage: %s FILE NAME... | --batch NAMES FILE... | --cnum STRING... | --enums STRING...\n", argv[0]); return 2; }
    XLU_Config *cfg = xlu_cfg_init(stderr, argv[1]);
    int rc = xlu_cfg_readfile(cfg, argv[1]);
    if (rc) { printf("{\"parse\":%d}\n", rc); return 1; }
    for (int i = 2; i < argc; i++) probe(cfg, argv[i]);
    xlu_cfg_destroy(cfg);
    return 0;
}
