/* commands.c — the ":" commands, as one table (name, arguments, help).
 *
 * run_command() in view.c looks a command up here; one that is global runs
 * here, one that belongs to a screen (a register's table) runs its run_on
 * on that screen, and elsewhere the status line says where it works.
 * The help screen and the man page's command list are made from the table.
 * After the table, ":" takes every request by its name (keys.c) and a
 * register by its id, alias, appendix or title.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/schema.h"
#include "tui/tui.h"

static void cmd_quit(const char *arg) { (void)arg; tui_quit(); }
static void cmd_help(const char *arg) { (void)arg; view_push(help_new()); }
static void cmd_home(const char *arg) { (void)arg; tui_go_home(); }

static void cmd_grep(const char *arg)
{
    mr_err e = {0};
    view *v = *arg ? grep_new(arg, &e) : NULL;
    if (v)
        view_push(v);
    else if (*arg)
        tui_error(&e);
    else
        tui_message("%s", _("usage: :grep REGEX"));
}

static void cmd_expiring(const char *arg)
{
    char *end;
    long days = *arg ? strtol(arg, &end, 10) : 90;
    if (*arg && (*end || days < 0 || days > 36500)) {
        tui_message("%s", _("usage: :expiring [DAYS]"));
        return;
    }
    mr_err e = {0};
    view *v = expiring_new(days, &e);
    if (v)
        view_push(v);
    else
        tui_error(&e);
}

static void cmd_goto(const char *arg)
{
    if (!tui_open_register(arg)) {
        buf m = BUF_INIT;
        buf_printf(&m, _("unknown command or register: %s"), arg);
        tui_error_text(buf_str(&m));
        buf_free(&m);
    }
}

const tui_command tui_commands[] = {
    {.name = "quit", .alias = "q", .args = "", .help = N_("quit minreg (asks first when a form has changes)"),
     .run = cmd_quit},
    {.name = "help", .args = "", .help = N_("this help"), .run = cmd_help},
    {.name = "home", .args = "", .help = N_("the list of registers"), .run = cmd_home},
    {.name = "grep", .args = N_("REGEX"), .help = N_("search every register; the matches as a list"),
     .run = cmd_grep},
    {.name = "expiring", .args = N_("[DAYS]"),
     .help = N_("permits expiring within DAYS (90), expired, or to file their extension now"), .run = cmd_expiring},
    {.name = "event", .args = N_("[TYPE]"),
     .help = N_("on a permit's record: record a registration event of TYPE (else picked) in a form"),
     .screen = "record", .run_on = record_cmd_event},
    {.name = "overlaps", .args = N_("[TABLE [KEY]]"),
     .help = N_("overlapping boundaries, largest first (on a map: its record's); Enter opens the neighbour"),
     .run = overlaps_cmd},
    {.name = "goto", .alias = "open", .args = N_("REGISTER"),
     .help = N_("open a register by id, alias (a2), appendix (附表2) or title"), .run = cmd_goto},
    {.name = "sort", .args = N_("COL [desc]|none"), .help = N_("sort by a column; none restores the plan's order"),
     .screen = "table", .run_on = table_cmd_sort},
    {.name = "filter", .args = N_("[COL:]REGEX"), .help = N_("keep rows matching REGEX (any column) or COL:REGEX"),
     .screen = "table", .run_on = table_cmd_filter},
    {.name = "unfilter", .args = "", .help = N_("remove every filter"), .screen = "table",
     .run_on = table_cmd_unfilter},
    {.name = "import", .args = N_("FILE"), .help = N_("add a CSV file's rows to the register"), .screen = "table",
     .run_on = table_cmd_import},
    {.name = "export", .args = N_("FILE"), .help = N_("write the rows shown as CSV, for Excel"), .screen = "table",
     .run_on = table_cmd_export},
};
const int tui_ncommands = sizeof tui_commands / sizeof *tui_commands;

const tui_command *command_find(const char *name)
{
    for (int i = 0; i < tui_ncommands; i++)
        if (strcmp(tui_commands[i].name, name) == 0 ||
            (tui_commands[i].alias && strcmp(tui_commands[i].alias, name) == 0))
            return &tui_commands[i];
    return NULL;
}

void command_usage(const tui_command *c, buf *out)
{
    buf_printf(out, ":%s", c->name);
    if (c->alias)
        buf_printf(out, " :%s", c->alias);
    if (*c->args)
        buf_printf(out, " %s", _(c->args));
}

int command_run(const char *name, const char *arg)
{
    const tui_command *c = command_find(name);
    if (!c)
        return 0;
    view *top = view_top();
    if (c->run)
        c->run(arg);
    else if (strcmp(top->ops->name, c->screen) == 0)
        c->run_on(top, arg);
    else {
        buf m = BUF_INIT;
        buf_printf(&m, strcmp(c->screen, "record") == 0 ? _(":%s works on a permit's record")
                                                        : _(":%s works on a register's table"),
                   c->name);
        tui_error_text(buf_str(&m));
        buf_free(&m);
    }
    return 1;
}

void commands_print_roff(void)
{
    buf u = BUF_INIT;
    for (int i = 0; i < tui_ncommands; i++) {
        buf_reset(&u);
        buf_printf(&u, ":%s", tui_commands[i].name);
        if (tui_commands[i].alias)
            buf_printf(&u, ", :%s", tui_commands[i].alias);
        if (*tui_commands[i].args)
            printf(".TP\n.BI \"%s \" \"%s\"\n", buf_str(&u), tui_commands[i].args);
        else
            printf(".TP\n.B %s\n", buf_str(&u));
        for (const char *p = tui_commands[i].help; *p; p++)
            printf(*p == '\\' ? "\\e" : *p == '-' ? "\\-" : "%c", *p);
        printf("\n");
    }
    buf_free(&u);
}
