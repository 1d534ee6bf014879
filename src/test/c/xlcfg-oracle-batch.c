/* Batch driver for the libxlutil oracle: the oracle's own main() (xlcfg-oracle.c, included
 * unchanged below) is called once per file path read from stdin, in one process, so that
 * thousands of inputs can be checked quickly. After each answer it prints a line
 * "\036EXIT" (record separator, then the oracle's exit status) and flushes.
 * Build: cc -O2 -o xlcfg-oracle-batch xlcfg-oracle-batch.c -lxlutil -lxenlight
 * (from src/test/c, so that the include below finds the oracle's source).
 */
#define main xlcfg_oracle_main
#include "xlcfg-oracle.c"
#undef main

int main(void) {
    char path[4096];
    while (fgets(path, sizeof path, stdin)) {
        size_t n = strlen(path);
        if (n && path[n - 1] == '\n') path[--n] = 0;
        char *argv[] = { "xlcfg-oracle", path, NULL };
        int rc = xlcfg_oracle_main(2, argv);
        fflush(stderr);
        printf("\036%d\n", rc);
        fflush(stdout);
    }
    return 0;
}
