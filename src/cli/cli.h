/* cli.h — the non-interactive commands.  Each returns an exit code; errors
 * are printed by main from the mr_err they fill. */
#ifndef MINREG_CLI_H
#define MINREG_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "core/db.h"
#include "core/csvio.h"
#include "core/err.h"
#include "core/geo.h"

int cmd_tables(db *d, int argc, char **argv, mr_err *e);
int cmd_show(db *d, int argc, char **argv, mr_err *e);
int cmd_get(db *d, int argc, char **argv, mr_err *e);
int cmd_add(db *d, int argc, char **argv, mr_err *e);
int cmd_set(db *d, int argc, char **argv, mr_err *e);
int cmd_rm(db *d, int argc, char **argv, mr_err *e);
int cmd_undo(db *d, int argc, char **argv, mr_err *e);
int cmd_redo(db *d, int argc, char **argv, mr_err *e);
int cmd_log(db *d, int argc, char **argv, mr_err *e);
int cmd_grep(db *d, int argc, char **argv, mr_err *e);
int cmd_check(db *d, int argc, char **argv, mr_err *e);
int cmd_report(db *d, int argc, char **argv, mr_err *e);
int cmd_import(db *d, int argc, char **argv, mr_err *e);
int cmd_export(db *d, int argc, char **argv, mr_err *e);
/* export to GeoJSON, GeoPackage or a shapefile (geoexport.c); cmd_export
 * hands over when cli_geo_export_wanted names one of them (--format, or
 * -o's name) */
int cmd_geo_export(db *d, int argc, char **argv, mr_err *e);
int cli_geo_export_wanted(int argc, char **argv);
int cmd_verify(db *d, int argc, char **argv, mr_err *e);
int cmd_exchange(db *d, int argc, char **argv, mr_err *e);   /* exchange.c */
int cmd_freq(db *d, int argc, char **argv, mr_err *e);   /* freq.c */
int cmd_boundary(db *d, int argc, char **argv, mr_err *e);   /* boundary.c */
int cmd_overlaps(db *d, int argc, char **argv, mr_err *e);   /* overlaps.c */
int cmd_near(db *d, int argc, char **argv, mr_err *e);       /* overlaps.c */
int cmd_layer(db *d, int argc, char **argv, mr_err *e);      /* layer.c */
int cmd_event(db *d, int argc, char **argv, mr_err *e);      /* life.c */
int cmd_expiring(db *d, int argc, char **argv, mr_err *e);   /* life.c */

/* A row of t by key or, for a permit, by a number it held before (*former
 * set): DB_FOUND, DB_NOT_FOUND (e: "no row"), DB_ERROR (e filled). */
int cli_find_record(db *d, const table *t, const char *key, int64_t *rowid, int *former, mr_err *e);
/* On stderr: key is a former number of the permit; its number now. */
void cli_former_note(db *d, const table *t, int64_t rowid, const char *key);
/* The warnings of recording an event (one a line) on stderr, each after
 * "minreg: warning: ". */
void cli_event_warnings(const buf *warn);
/* area FILE: needs no register (area.c) */
int cmd_area(int argc, char **argv, mr_err *e);
/* --from, --degrees, --zone (c: i, d, z) into ro: 1 taken, 0 not one, -1
 * refused with e filled (area.c) */
int cli_geo_read_opt(int c, const char *arg, geo_read_opts *ro, mr_err *e);

/* Resolve TABLE or fill e with a message listing the registers. */
const table *cli_table(db *d, const char *name, mr_err *e);

/* "COL=VALUE" for t into f (value points into arg); 0, or -1 with e. */
int cli_parse_where(const table *t, const char *arg, db_filter *f, mr_err *e);
/* each of args[0..n) into f[i]; on an error, none made is kept */
int cli_parse_wheres(const table *t, const char *const *args, int n, db_filter *f, mr_err *e);
void cli_filters_free(db_filter *f, int n);   /* filters cli_parse_where made */
/* "A,B,C" into column indexes (cis has room for t->ncols). */
int cli_parse_columns(const table *t, const char *arg, int *cis, int *n, mr_err *e);

/* ---- progress and Ctrl-C for long commands (progress.c) ---- */
typedef struct cli_progress cli_progress;
cli_progress *cli_progress_start(void);   /* also catches SIGINT, SIGTERM, SIGHUP */
/* Draws the bar (on a terminal, after a second); nonzero: cancel. */
int cli_progress_update(cli_progress *p, int64_t rows, long long bytes, long long size);
void cli_progress_stop(cli_progress *p);  /* clears the bar, restores the signals */

/* ---- output helpers (out.c) ---- */
typedef enum { FMT_TEXT, FMT_CSV, FMT_TSV, FMT_JSON } out_format;
int out_format_parse(const char *s, out_format *f);
/* report yearly --year YYYY: the year's events per type and district (life.c) */
/* report yearly --year Y (life.c): the year's events, the 年度信息 not
 * filed, the blocks due for release; xlsx: a workbook to out_path. */
int cli_report_yearly(db *d, const char *year, out_format fmt, int xlsx, const char *out_path,
                      mr_err *e);

/* A text table: cells are added row by row, then printed aligned by
 * display width with every cell escaped. */
typedef struct text_table text_table;
text_table *tt_new(int ncols);
void tt_align_right(text_table *t, int col);
void tt_add(text_table *t, const char *cell);   /* next cell, row-major */
void tt_print(text_table *t, FILE *f, int header_rule);
void tt_free(text_table *t);
/* The width tt_print's lines would take (the widest, header included). */
int tt_width(const text_table *t);
size_t tt_rows(const text_table *t);   /* header included */
const char *tt_cell(const text_table *t, size_t row, int col);
/* The columns of the terminal standard output is, or 0 when it is not one. */
int out_term_cols(void);

void out_json_string(FILE *f, const char *s);
/* A number column's value: a JSON number when it is a finite number in JSON's
 * syntax, else (text, a BLOB, inf) a JSON string. */
void out_json_number(FILE *f, const char *s);
/* Print s escaped for the terminal (controls, bidi marks, bad UTF-8). */
void out_safe(FILE *f, const char *s);
/* One CSV or TSV cell (no separator).  A text cell a spreadsheet would run
 * as a formula gets a guarding apostrophe (csvio.h: Excel safety) unless
 * flags has CELL_RAW (--raw-cells); CELL_NUMERIC: a number column, whose
 * valid numbers are left alone.  CSV is exact into a file or pipe and
 * escaped to a terminal; TSV is always escaped (tabs, newlines). */
enum { CELL_NUMERIC = 1, CELL_RAW = 2 };
#define OPT_RAW_CELLS 0x100   /* getopt_long's value for --raw-cells */
void out_cell(FILE *f, out_format fmt, const char *s, int flags);

/* CSV for Excel (`show`, `check`, `report` with --format csv and -o FILE or
 * --excel): a UTF-8 byte order mark, CRLF line ends, headers in the
 * interface language and decimals as the plan prints them. */
extern int cli_excel;
void out_eol(FILE *f);   /* CRLF for Excel, else LF */
void out_bom(FILE *f);   /* the byte order mark, for Excel only */
/* A column's header: "label(unit)" (for Excel in English: the English label). */
void cli_col_header(const column *c, buf *out);
/* -o FILE: standard output goes to FILE, opened by outfile.c (never the
 * register, a temporary renamed into place), until cli_out_close, which
 * commits it (ok) or drops it.  0, or -1 with e filled. */
int cli_out_open(db *d, const char *path, mr_err *e);
int cli_out_close(int ok, mr_err *e);

/* ---- errors and options (opt.c): every byte to stderr escaped ---- */
/* "minreg: MSG" on stderr, escaped; keep_lines: each line of a multi-line
 * message (a usage text) on its own line, each escaped. */
void cli_error_lines(const char *msg, int keep_lines);
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* getopt_long, but its errors (an unknown option, a missing argument) are
 * printed by cli_error, escaped, in the interface language; returns '?'
 * for every error.  Never pass a leading ':' in shortopts. */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* The import and export commands' usage, in the interface language. */
const char *cli_import_usage(void);
const char *cli_export_usage(void);

#endif
