/* main.c — arguments and dispatch: the TUI or a CLI command.
 *
 * Only main prints errors and picks exit codes; commands fill an mr_err.
 */
#include "config.h"

#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "core/text.h"
#include "core/validate.h"
#include "tui/tui.h"

typedef int (*cmd_fn)(db *d, int argc, char **argv, mr_err *e);

static const struct command {
    const char *name;
    cmd_fn fn;
    const char *help;
} commands[] = {
    {"tables", cmd_tables, N_("list the registers with their appendix number, title and row count")},
    {"show", cmd_show, N_("print a register's rows (--where, --columns, --sort, --limit, --format)")},
    {"get", cmd_get, N_("print one record with its links out and the rows that link to it")},
    {"freq", cmd_freq, N_("each value of a column with its rows, share and area: freq TABLE COLUMN [--where F]")},
    {"grep", cmd_grep, N_("search every register with a regular expression: grep [COL:]REGEX [TABLE...]")},
    {"add", cmd_add, N_("add a record: add TABLE COL=VALUE... [-m COMMENT]")},
    {"set", cmd_set, N_("change fields of a record: set TABLE KEY COL=VALUE... [-m COMMENT]")},
    {"rm", cmd_rm, N_("delete a record nothing links to: rm TABLE KEY [-m COMMENT]")},
    {"log", cmd_log, N_("the audit trail: log [TABLE [KEY]] [--since DATE] [--format F]")},
    {"event", cmd_event, N_("record a permit's registration event and apply it: event TABLE KEY TYPE --date D [COL=VALUE...]")},
    {"expiring", cmd_expiring, N_("permits expiring, expired, or to file their extension now: expiring [--within DAYS] [--today D]")},
    {"undo", cmd_undo, N_("undo your own last change, or change N: undo [N] [-m COMMENT]")},
    {"redo", cmd_redo, N_("redo the last undone change")},
    {"report", cmd_report, N_("report summary: counts and areas by district and mineral, and 专栏一 beside the register")},
    {"check", cmd_check, N_("check the register against the plan's rules (--rules lists them); exit 1 on errors")},
    {"verify", cmd_verify, N_("check the history and every row against the chained digests: verify [--head DIGEST]")},
    {"import", cmd_import, N_("load a CSV file into a register: import TABLE FILE [--replace|--upsert] [--dry-run]")},
    {"export", cmd_export, N_("write a register as CSV: export TABLE [-o FILE] [--where COL=VALUE] [--bom]")},
    {"exchange", cmd_exchange, N_("keep the city's and the counties' registers in step: exchange init|partner|export|apply|conflicts|resolve")},
    {"boundary", cmd_boundary, N_("a record's boundary: boundary TABLE KEY FILE sets it, boundary TABLE KEY prints it (--format)")},
    {"overlaps", cmd_overlaps, N_("overlapping boundaries with their overlap area, largest first: overlaps [TABLE [KEY]]")},
    {"near", cmd_near, N_("the boundaries within a distance of a record's: near TABLE KEY --within METRES")},
    {"layer", cmd_layer, N_("restriction layers for check: layer import NAME FILE, layer list, layer rm NAME, layer distance [M]")},
    {"init", NULL, N_("create a new register file from the bundled data (--empty: no rows)")},
    {"area", NULL, N_("a coordinate file's official areas (km²) and problems: area FILE [--format F]")},
};

static void usage(FILE *f)
{
    fputs(_("usage: minreg [OPTIONS] [COMMAND [ARGS]]\n"
            "With no command and a terminal, minreg opens the register browser.\n\n"
            "Commands:\n"), f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-7s %s\n", commands[i].name, _(commands[i].help));
    fputs(_("\nOptions:\n"
            "  -f, --file FILE      register to open (default $MINREG_DB, else\n"
            "                       $XDG_DATA_HOME/minreg/register.db)\n"
            "  -r, --read-only      open the register read-only\n"
            "      --lang zh|en     interface language (default from $MINREG_LANG or the locale)\n"
            "      --ambiguous wide|narrow\n"
            "                       width of East Asian ambiguous characters (default narrow)\n"
            "      --ascii          ASCII borders and markers (for PuTTY and old consoles)\n"
            "      --mouse          let the browser use the mouse (wheel scrolls)\n"
            "      --script FILE    run the browser from a key script, without a terminal,\n"
            "                       printing a screen dump at each <dump> (for tests)\n"
            "      --size COLSxROWS screen size for --script (default 80x24)\n"
            "      --today DATE     the date the browser's problems expire permits against\n"
            "                       (default today; `check` takes its own --today)\n"
            "  -h, --help           this help\n"
            "  -V, --version        version\n\n"
            "Exit status: 0 ok, 1 not found, invalid, or check found errors, 2 usage,\n"
            "3 bad input file, 4 register cannot be opened or is read-only,\n"
            "5 file system error, 6 conflict, 130 cancelled (Ctrl-C).\n"), f);
}

static int cmd_init(int argc, char **argv, mr_err *e)
{
    int empty = 0;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--empty") == 0)
            empty = 1;
        else if (!file && argv[i][0] != '-')
            file = argv[i];
        else {
            err_set(e, EXIT_USAGE, _("usage: minreg init FILE [--empty]"));
            return EXIT_USAGE;
        }
    }
    if (!file) {
        err_set(e, EXIT_USAGE, _("usage: minreg init FILE [--empty]"));
        return EXIT_USAGE;
    }
    if (db_create(file, paths_datadir(), empty, e) < 0)
        return e->code;
    return EXIT_OK;
}

/* A register whose schema minreg did not make is open read-only: say so,
 * and what it holds, before any command's output (the browser also says
 * it on its status line). */
static void warn_untrusted(db *d)
{
    const char *const *items;
    int n = db_schema_problems(d, &items);
    if (n > 0) {
        fputs("minreg: ", stderr);
        buf b = BUF_INIT;
        buf_printf(&b, _("warning: %s holds SQL minreg did not make, so it is open read-only: %s"),
                   db_path(d), items[0]);
        if (n > 1)
            buf_printf(&b, _(" and %d more (minreg check lists them)"), n - 1);
        out_safe(stderr, buf_str(&b));
        fputc('\n', stderr);
        buf_free(&b);
    } else if (db_readonly_why(d) == DB_RO_UNTRUSTED || db_readonly_why(d) == DB_RO_FULL) {
        fputs("minreg: ", stderr);
        buf b = BUF_INIT;
        buf_printf(&b, _("warning: %s is open read-only: %s"), db_path(d), db_readonly_reason(d));
        out_safe(stderr, buf_str(&b));
        fputc('\n', stderr);
        buf_free(&b);
    }
}

/* The register path the TUI runs on, for the key-script hook below. */
static const char *tui_path;

/* <other CMD ARGS> in a key script: run a command on a second connection to
 * the same file, as another clerk would, while the browser has it open.
 * Arguments are split on spaces (test scripts only).  A first word USER=NAME
 * makes the command another clerk's. */
static int run_other(const char *cmdline)
{
    char *copy = xstrdup(cmdline), *save = NULL, *argv[32], *me = NULL;
    int argc = 0;
    for (char *p = strtok_r(copy, " ", &save); p && argc < 31; p = strtok_r(NULL, " ", &save))
        argv[argc++] = p;
    argv[argc] = NULL;
    char **args = argv;
    if (argc && strncmp(argv[0], "USER=", 5) == 0) {
        const char *u = getenv("USER");
        me = xstrdup(u ? u : "");
        setenv("USER", argv[0] + 5, 1);
        args++;
        argc--;
    }
    int rc = EXIT_USAGE;
    db *d = NULL;
    mr_err e = {0};
    for (size_t i = 0; argc && i < sizeof commands / sizeof *commands; i++)
        if (commands[i].fn && strcmp(args[0], commands[i].name) == 0) {
            if (db_open(tui_path, 0, &d, &e) == 0)
                rc = commands[i].fn(d, argc, args, &e);
            break;
        }
    if (rc) {
        printf("other: exit %d ", rc);
        out_safe(stdout, e.msg);
        putchar('\n');
    }
    db_close(d);
    if (me) {
        setenv("USER", me, 1);
        free(me);
    }
    free(copy);
    return rc;
}


/* ---- global options anywhere --------------------------------------------
 * `minreg show a11 --lang zh` as well as `minreg --lang zh show a11`: the
 * global options that mean the same to every command (the register, the
 * language, the characters) are moved in front of the command before
 * parsing.  Options the browser alone reads stay where they must be; -r
 * stays after `check`, whose -r is --rules; "--" ends the search. */
static const struct global_opt {
    const char *lng;    /* "--file" */
    char shrt;          /* 'f', or 0 */
    int arg;            /* takes a value */
} global_opts[] = {
    {"--file", 'f', 1}, {"--read-only", 'r', 0}, {"--lang", 0, 1},
    {"--ascii", 0, 0},  {"--ambiguous", 0, 1},
};

/* How many elements argv[i] (and its value) take as a global option, or 0. */
static int global_at(int argc, char **argv, int i, const char *cmd)
{
    const char *a = argv[i];
    for (size_t k = 0; k < sizeof global_opts / sizeof *global_opts; k++) {
        const struct global_opt *g = &global_opts[k];
        size_t n = strlen(g->lng);
        if (strncmp(a, g->lng, n) == 0 && (a[n] == '\0' || (g->arg && a[n] == '=')))
            return g->arg && a[n] == '\0' ? (i + 1 < argc ? 2 : 0) : 1;
        if (g->shrt && a[0] == '-' && a[1] == g->shrt && a[2] == '\0' &&
            !(g->shrt == 'r' && strcmp(cmd, "check") == 0))
            return g->arg ? (i + 1 < argc ? 2 : 0) : 1;
    }
    return 0;
}

/* The index of the command in argv (past the leading options), or argc. */
static int command_index(int argc, char **argv)
{
    static const char *const valued[] = {"-f", "--file", "--lang", "--ambiguous", "--script",
                                         "--size", "--today"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return i + 1;
        if (a[0] != '-' || !a[1])
            return i;
        for (size_t k = 0; k < sizeof valued / sizeof *valued; k++)
            if (strcmp(a, valued[k]) == 0) {
                i++;
                break;
            }
    }
    return argc;
}

/* The array globals_first makes, kept for the whole run and freed at exit,
 * whichever way main returns. */
static char **reordered_argv;
static void free_reordered(void) { free(reordered_argv); }

/* argv with the global options after the command moved before it. */
static char **globals_first(int argc, char **argv)
{
    char **out = reordered_argv = xcalloc((size_t)argc + 1, sizeof *out);
    atexit(free_reordered);
    int ci = command_index(argc, argv), n = 0;
    for (int i = 0; i < ci && i < argc; i++)
        out[n++] = argv[i];
    if (ci >= argc) {
        memcpy(out, argv, sizeof *out * (size_t)argc);
        return out;
    }
    int end = argc;
    for (int i = ci + 1; i < argc; i++)
        if (strcmp(argv[i], "--") == 0) {
            end = i;
            break;
        }
    for (int i = ci + 1; i < end;) {   /* the globals, in their order */
        int k = global_at(argc, argv, i, argv[ci]);
        for (int j = 0; j < k; j++)
            out[n++] = argv[i + j];
        i += k ? k : 1;
    }
    out[n++] = argv[ci];
    for (int i = ci + 1; i < argc;) {   /* the rest */
        int k = i < end ? global_at(argc, argv, i, argv[ci]) : 0;
        if (!k)
            out[n++] = argv[i];
        i += k ? k : 1;
    }
    return out;
}

/* Commands whose own parser answers --help (with their whole usage). */
static int own_help(const char *name)
{
    static const char *const own[] = {"show", "check", "report", "freq", "area", "layer"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++)
        if (strcmp(name, own[i]) == 0)
            return 1;
    return 0;
}

/* --help (or -h) among a command's arguments, before any "--". */
static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

/* A command's help: its usage where it has a long one, else its line of the
 * command list; then where the global options go. */
static void command_help(const char *name, FILE *f)
{
    const char *u = strcmp(name, "import") == 0   ? cli_import_usage()
                    : strcmp(name, "export") == 0 ? cli_export_usage()
                                                  : NULL;
    if (u)
        fprintf(f, "%s\n", u);
    else
        for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
            if (strcmp(commands[i].name, name) == 0)
                fprintf(f, _("usage: minreg %s — %s\n"), name, _(commands[i].help));
    fputs(_("Global options (-f FILE, -r, --lang zh|en, --ascii, --ambiguous) may come before or\n"
            "after the command; see minreg --help.\n"), f);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"file", required_argument, NULL, 'f'}, {"read-only", no_argument, NULL, 'r'},
        {"lang", required_argument, NULL, 'L'}, {"ambiguous", required_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
        {"ascii", no_argument, NULL, 'a'}, {"mouse", no_argument, NULL, 'm'},
        {"script", required_argument, NULL, 's'}, {"size", required_argument, NULL, 'z'},
        {"keys-roff", no_argument, NULL, 'K'},
        {"today", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0}};
    tui_opts topt = {.cols = 80, .rows = 24};
    const char *file = NULL, *lang = NULL;
    int readonly = 0, o;
    mr_err e = {0};

    /* Past a file size limit (ulimit -f) the kernel would kill minreg in the
     * middle of a write with SIGXFSZ, saying nothing; ignored, the write
     * fails with EFBIG, SQLite rolls the change back, and the clerk is told. */
    signal(SIGXFSZ, SIG_IGN);
    setlocale(LC_ALL, "");
    /* The registers are UTF-8 and so are the terminals clerks use; a session
     * with no locale set (plain C, common over SSH) still gets UTF-8 text. */
    const char *cs = nl_langinfo(CODESET);
    if (!cs || (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0))
        setlocale(LC_CTYPE, "C.UTF-8");
    char **args = globals_first(argc, argv);
    argv = args;
    while ((o = cli_getopt(argc, argv, "+f:rhV", opts)) != -1) {
        switch (o) {
        case 'f': file = optarg; break;
        case 'r': readonly = 1; break;
        case 'L': lang = optarg; break;
        case 'A':
            if (strcmp(optarg, "wide") && strcmp(optarg, "narrow")) {
                cli_error("%s", _("--ambiguous wants wide or narrow"));
                return EXIT_USAGE;
            }
            text_set_ambiguous_wide(strcmp(optarg, "wide") == 0);
            break;
        case 't':
            if (!value_is_date(optarg)) {
                cli_error("%s", _("--today wants a date YYYY-MM-DD"));
                return EXIT_USAGE;
            }
            topt.today = optarg;
            break;
        case 'a': topt.ascii = 1; text_set_ascii(1); break;
        case 'm': topt.mouse = 1; break;
        case 's': topt.script = optarg; break;
        case 'z':
            if (sscanf(optarg, "%dx%d", &topt.cols, &topt.rows) != 2 || topt.cols < 10 ||
                topt.rows < 4) {
                cli_error("%s", _("--size wants COLSxROWS, e.g. 80x24"));
                return EXIT_USAGE;
            }
            break;
        case 'K':
            /* the man page's KEYS section, generated from the action table */
            keys_print_roff();
            return EXIT_OK;
        case 'h':
            i18n_init(lang, paths_localedir());
            usage(stdout);
            return EXIT_OK;
        case 'V': printf("minreg %s\n", PACKAGE_VERSION); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    i18n_init(lang, paths_localedir());
    argc -= optind;
    argv += optind;

    int tui = argc == 0;
    if (tui && !topt.script && !(isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))) {
        fputs(_("minreg: the browser needs a terminal; give a command (see minreg --help)\n"), stderr);
        return EXIT_USAGE;
    }
    if (!tui && strcmp(argv[0], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    /* --help needs no register: the commands that answer it themselves
     * do so while parsing their options, before they touch one */
    if (!tui && wants_help(argc, argv)) {
        const struct command *h = NULL;
        for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
            if (strcmp(argv[0], commands[i].name) == 0)
                h = &commands[i];
        if (h && own_help(argv[0]) && h->fn) {
            int rc = h->fn(NULL, argc, argv, &e);
            if (rc && e.msg[0])
                cli_error_lines(e.msg, rc == EXIT_USAGE);
            return rc;
        }
        if (h && !own_help(argv[0])) {
            command_help(argv[0], stdout);
            return EXIT_OK;
        }
    }
    if (!tui && strcmp(argv[0], "init") == 0) {
        int rc = cmd_init(argc, argv, &e);
        if (rc)
            cli_error_lines(e.msg, rc == EXIT_USAGE);   /* a path may hold anything: escaped */
        return rc;
    }
    if (!tui && strcmp(argv[0], "area") == 0) {   /* a file, no register */
        int rc = cmd_area(argc, argv, &e);
        if (rc && e.msg[0])
            cli_error_lines(e.msg, rc == EXIT_USAGE);
        return rc;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; !tui && i < sizeof commands / sizeof *commands; i++)
        if (commands[i].fn && strcmp(argv[0], commands[i].name) == 0)
            cmd = &commands[i];
    if (!tui && !cmd) {
        cli_error(_("unknown command '%s'"), argv[0]);
        usage(stderr);
        return EXIT_USAGE;
    }

    /* A command's rows to a file or a pipe: written 64 KiB at a time rather
     * than stdio's 4 KiB (a search's 10 MB is 2500 writes fewer). */
    static char outbuf[1 << 16];
    if (!tui && !isatty(STDOUT_FILENO))
        setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    int is_default;
    char *path = paths_register(file, &is_default);
    db *d = NULL;
    int rc;
    if ((is_default && paths_ensure_default(path, &e) < 0) ||
        db_open(path, readonly ? DB_READONLY : 0, &d, &e) < 0) {
        rc = e.code ? e.code : EXIT_DB;
    } else if (tui) {
        warn_untrusted(d);
        topt.readonly = readonly || db_readonly(d);
        tui_path = path;
        topt.other = topt.script ? run_other : NULL;
        rc = tui_main(d, &topt);
    } else {
        warn_untrusted(d);
        rc = cmd->fn(d, argc, argv, &e);
    }
    if (rc && e.msg[0])   /* escaped; a usage message (ours) keeps its lines, each escaped */
        cli_error_lines(e.msg, rc == EXIT_USAGE);
    db_close(d);
    free(path);
    return rc;
}
