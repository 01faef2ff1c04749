/* progress.c — a progress bar for long commands, and Ctrl-C to cancel them.
 *
 * The bar goes to stderr, and only when stderr is a terminal and the work
 * has run for a second: quick imports and scripts see nothing.  SIGINT,
 * SIGTERM and SIGHUP only set a flag; the work polls it through
 * cli_progress_update and unwinds (rolling back) by itself.
 */
#include "config.h"
#include "cli/cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/text.h"

#define BAR 24

static volatile sig_atomic_t cancelled;

static void on_signal(int sig)
{
    (void)sig;
    cancelled = 1;
}

static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};

struct cli_progress {
    int tty;
    double start, last, after;   /* seconds; after: when the bar may first appear */
    int drawn;
    struct sigaction old[3];
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

cli_progress *cli_progress_start(void)
{
    cli_progress *p = xcalloc(1, sizeof *p);
    p->tty = isatty(STDERR_FILENO);
    p->start = p->last = now();
    /* MINREG_PROGRESS_AFTER_MS: tests show the bar at once on a pty */
    const char *ms = getenv("MINREG_PROGRESS_AFTER_MS");
    p->after = ms && *ms ? atof(ms) / 1000.0 : 1.0;
    cancelled = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;   /* no SA_RESTART: a blocked read returns */
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &sa, &p->old[i]);
    return p;
}

static int term_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

static void draw(cli_progress *p, int64_t rows, long long bytes, long long size, double el)
{
    buf b = BUF_INIT;
    double rate = el > 0 ? (double)rows / el : 0;
    if (size > 0) {
        double frac = (double)bytes / (double)size;
        frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
        int fill = (int)(frac * BAR + 0.5);
        buf_putc(&b, '[');
        for (int i = 0; i < BAR; i++)
            buf_putc(&b, i < fill ? '#' : '-');
        long eta = bytes > 0 ? (long)(el * (double)(size - bytes) / (double)bytes + 0.5) : 0;
        buf_printf(&b, "] %3d%%  %lld %s  %.0f %s  %s %ld:%02ld", (int)(frac * 100),
                   (long long)rows, _("rows"), rate, _("rows/s"), _("ETA"), eta / 60, eta % 60);
    } else {
        buf_printf(&b, "%lld %s  %.0f %s", (long long)rows, _("rows"), rate, _("rows/s"));
    }
    size_t fit = text_fit(buf_str(&b), term_width() - 1, NULL);
    fprintf(stderr, "\r%.*s\033[K", (int)fit, buf_str(&b));
    fflush(stderr);
    buf_free(&b);
    p->drawn = 1;
}

int cli_progress_update(cli_progress *p, int64_t rows, long long bytes, long long size)
{
    if (cancelled)
        return 1;
    if (!p->tty)
        return 0;
    double t = now(), el = t - p->start;
    if (el >= p->after && (!p->drawn || t - p->last >= 0.1)) {
        p->last = t;
        draw(p, rows, bytes, size, el);
    }
    return 0;
}

void cli_progress_stop(cli_progress *p)
{
    if (!p)
        return;
    if (p->drawn) {
        fputs("\r\033[K", stderr);   /* the bar goes; the report takes its place */
        fflush(stderr);
    }
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &p->old[i], NULL);
    free(p);
}
